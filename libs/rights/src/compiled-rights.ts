import { CheckAnswer, CheckReason, CompiledGrantWire, CompiledRightsWire } from '@procura/contracts';
import { CatalogIndex } from './catalog-index';

/** One grant as the check needs it: validity interval kept, so dates need no invalidation. */
export interface CompiledGrant {
  authorizationId: string;
  authorizationLabel: string;
  service: string;
  right: string;
  level: string;
  /** Epoch ms; active on [from, until). */
  from: number;
  until: number | null;
  /** null: the right is not about resources. */
  resources: ReadonlySet<string> | null;
}

export interface CompiledCredential {
  validUntil: number | null;
  revoked: boolean;
  /** Pouvoir bancaire (seed 000): the credential may be used on the banking service. */
  bankingPower: boolean;
}

/** Everything the check needs about one user, built once and evaluated at any instant. */
export interface CompiledRights {
  userId: string;
  companyId: string;
  status: string;
  credentials: CompiledCredential[];
  /** `${service}|${right}` → grants of every authorization of the user, whatever their dates. */
  grants: ReadonlyMap<string, CompiledGrant[]>;
}

export interface RawPrincipal {
  userId: string;
  companyId: string;
  status: string;
  credentials: Array<{ validUntil: Date | null; revoked: boolean; bankingPower: boolean }>;
}

export interface RawAuthorization {
  id: string;
  label: string;
  serviceCode: string;
  effectiveFrom: Date;
  endsAt: Date | null;
  grants: Array<{ rightCode: string; levelCode: string; resourceIds: string[] }>;
}

export const grantKey = (service: string, right: string) => `${service}|${right}`;

export function compileRights(principal: RawPrincipal, authorizations: RawAuthorization[], catalog: CatalogIndex): CompiledRights {
  const grants = new Map<string, CompiledGrant[]>();
  for (const a of authorizations) {
    for (const g of a.grants) {
      const scoped = catalog.right(a.serviceCode, g.rightCode)?.resourceScoped ?? false;
      const key = grantKey(a.serviceCode, g.rightCode);
      const list = grants.get(key) ?? [];
      list.push({
        authorizationId: a.id,
        authorizationLabel: a.label,
        service: a.serviceCode,
        right: g.rightCode,
        level: g.levelCode,
        from: a.effectiveFrom.getTime(),
        until: a.endsAt ? a.endsAt.getTime() : null,
        resources: scoped ? new Set(g.resourceIds) : null,
      });
      grants.set(key, list);
    }
  }
  return {
    userId: principal.userId,
    companyId: principal.companyId,
    status: principal.status,
    credentials: principal.credentials.map((c) => ({
      validUntil: c.validUntil ? c.validUntil.getTime() : null,
      revoked: c.revoked,
      bankingPower: c.bankingPower,
    })),
    grants,
  };
}

export const isActiveAt = (g: { from: number; until: number | null }, at: number) => g.from <= at && (g.until === null || at < g.until);

/** Why the user can use no right at all at `at` (status, credential), or undefined when they can. */
export function principalBlock(rights: Pick<CompiledRights, 'status' | 'credentials'>, at: number): CheckReason | undefined {
  if (rights.status === 'SUSPENDED') return 'USER_SUSPENDED';
  if (rights.status !== 'ACTIVE') return 'USER_NOT_ACTIVE';
  if (rights.credentials.length === 0) return 'NO_CREDENTIAL';
  if (rights.credentials.some((c) => usableAt(c, at))) return undefined;
  return rights.credentials.every((c) => c.revoked) ? 'CREDENTIAL_REVOKED' : 'CREDENTIAL_EXPIRED';
}

const usableAt = (c: CompiledCredential, at: number) => !c.revoked && (c.validUntil === null || at < c.validUntil);

/**
 * Seed 000, note 1: banking power (pouvoir bancaire) is the credential's, and a user whose
 * authorizations cover only e-invoicing is "obligatoirement sans pouvoir bancaire". Read
 * from the current credentials and rights at every question, so a change of either is
 * taken into account by the next check.
 */
export function bankingPowerOf(rights: Pick<CompiledRights, 'credentials' | 'grants'>, at: number): { held: boolean; reason?: string } {
  if (!rights.credentials.some((c) => usableAt(c, at) && c.bankingPower))
    return { held: false, reason: 'The credential has no banking power' };
  const services = new Set([...rights.grants.values()].flatMap((list) => list.map((g) => g.service)));
  if (services.size === 1 && services.has('EINVOICING'))
    return { held: false, reason: 'The rights cover only e-invoicing: the user is necessarily without banking power' };
  return { held: true };
}

export interface Question {
  service: string;
  right: string;
  level: string;
  resourceId?: string;
}

const deny = (reason: CheckReason): CheckAnswer => ({ allowed: false, reason });

/**
 * May the user use `right` at `level` (on `resourceId`) at instant `at`? The reasons are
 * checked from the most general to the most specific, so the answer names the first
 * thing an administrator would have to fix.
 */
export function evaluate(rights: CompiledRights, q: Question, at: number, catalog: CatalogIndex): CheckAnswer {
  const right = catalog.right(q.service, q.right);
  if (!right) return deny('UNKNOWN_RIGHT');
  const wanted = catalog.rank(q.service, q.level);
  if (wanted === undefined) return deny('UNKNOWN_LEVEL');
  const blocked = principalBlock(rights, at);
  if (blocked) return deny(blocked);
  if (q.service === 'BANKING' && !bankingPowerOf(rights, at).held) return deny('NO_BANKING_POWER');
  const all = rights.grants.get(grantKey(q.service, q.right));
  if (!all || all.length === 0) return deny('NO_AUTHORIZATION');
  const active = all.filter((g) => isActiveAt(g, at));
  if (active.length === 0) return deny('OUTSIDE_VALIDITY_DATES');
  const covering =
    right.resourceScoped && q.resourceId !== undefined ? active.filter((g) => g.resources?.has(q.resourceId!) ?? false) : active;
  if (covering.length === 0) return deny('RESOURCE_NOT_GRANTED');
  let best: CompiledGrant | undefined;
  let bestRank = -Infinity;
  for (const g of covering) {
    const rank = catalog.rank(g.service, g.level) ?? -Infinity;
    if (rank > bestRank || (rank === bestRank && best && g.authorizationId < best.authorizationId)) {
      best = g;
      bestRank = rank;
    }
  }
  if (!best || bestRank < wanted) return deny('LEVEL_TOO_LOW');
  return { allowed: true, reason: 'GRANTED', authorizationId: best.authorizationId };
}

/** The compiled rights as they travel over RPC (sets become sorted arrays). */
export function rightsToWire(rights: CompiledRights): CompiledRightsWire {
  const grants: CompiledGrantWire[] = [];
  for (const list of rights.grants.values()) {
    for (const g of list) grants.push({ ...g, resources: g.resources ? [...g.resources].sort() : null });
  }
  return {
    userId: rights.userId,
    companyId: rights.companyId,
    status: rights.status,
    credentials: rights.credentials.map((c) => ({ ...c })),
    grants,
  };
}

/** The inverse of rightsToWire: the same lookups, so evaluate() answers exactly as on the service. */
export function rightsFromWire(wire: CompiledRightsWire): CompiledRights {
  const grants = new Map<string, CompiledGrant[]>();
  for (const g of wire.grants) {
    const key = grantKey(g.service, g.right);
    const list = grants.get(key) ?? [];
    list.push({ ...g, resources: g.resources ? new Set(g.resources) : null });
    grants.set(key, list);
  }
  return {
    userId: wire.userId,
    companyId: wire.companyId,
    status: wire.status,
    credentials: wire.credentials.map((c) => ({ ...c })),
    grants,
  };
}
