import { Injectable } from '@nestjs/common';
import {
  AuthorizationAssignChange,
  AuthorizationCreateChange,
  AuthorizationDeleteChange,
  AuthorizationUpdateChange,
  ChangeValidation,
  GrantDto,
} from '@procura/contracts';
import { Prisma } from '@procura/database';
import { NotFoundError, RuleViolationError, ValidationFailedError } from '@procura/errors';
import { AuthorizationRulesService } from '../authorizations/authorization-rules.service';
import { AuthorizationsRepository, Db, FullAuthorization } from '../authorizations/authorizations.repository';
import { PrincipalsRepository } from '../principals/principals.repository';
import { Applied, ApplyContext, ChangeKindHandler, derivedId, iso, parsePayload, StaleChangeError, toDate } from './change-support';

/** What validators see of an authorization in a diff. */
export function describeAuthorization(a: {
  label: string;
  service: string;
  effectiveFrom: string | null;
  endsAt: string | null;
  grants: GrantDto[];
  userIds: string[];
}) {
  return {
    label: a.label,
    service: a.service,
    effectiveFrom: a.effectiveFrom,
    endsAt: a.endsAt,
    grants: a.grants.map((g) => ({ right: g.right, level: g.level, ...(g.resourceIds?.length ? { resourceIds: g.resourceIds } : {}) })),
    userIds: a.userIds,
  };
}

export function viewOf(a: FullAuthorization) {
  return describeAuthorization({
    label: a.label,
    service: a.serviceCode,
    effectiveFrom: iso(a.effectiveFrom),
    endsAt: iso(a.endsAt),
    grants: a.grants.map((g) => ({ right: g.rightCode, level: g.levelCode, resourceIds: g.resourceIds })),
    userIds: a.users.map((u) => u.userId),
  });
}

const grantsSummary = (grants: GrantDto[]) =>
  grants.map((g) => `${g.right}:${g.level}${g.resourceIds?.length ? ` on ${g.resourceIds.length} resource(s)` : ''}`).join(', ');

async function loadOwned(repo: AuthorizationsRepository, companyId: string, id: string, db?: Db): Promise<FullAuthorization> {
  const found = await repo.find(id, db);
  if (!found || found.companyId !== companyId) throw new NotFoundError('Authorization');
  return found;
}

async function lockOwned(
  repo: AuthorizationsRepository,
  tx: Prisma.TransactionClient,
  ctx: ApplyContext,
  id: string,
): Promise<FullAuthorization> {
  const found = await repo.lock(tx, id);
  if (!found || found.companyId !== ctx.companyId) throw new StaleChangeError('The authorization no longer exists');
  if (ctx.targetVersion !== undefined && found.version !== ctx.targetVersion) {
    throw new StaleChangeError(
      `The authorization changed since the request was made (version ${found.version}, expected ${ctx.targetVersion})`,
    );
  }
  return found;
}

@Injectable()
export class AuthorizationCreateKind implements ChangeKindHandler {
  constructor(
    private readonly rules: AuthorizationRulesService,
    private readonly repo: AuthorizationsRepository,
    private readonly principals: PrincipalsRepository,
  ) {}

  async validate(companyId: string, payload: Record<string, unknown>, db?: Db): Promise<ChangeValidation> {
    const p = parsePayload(AuthorizationCreateChange, payload);
    const draft = {
      service: p.service,
      effectiveFrom: toDate(p.effectiveFrom, 'effectiveFrom'),
      endsAt: p.endsAt ? toDate(p.endsAt, 'endsAt') : null,
      grants: p.grants,
    };
    const userIds = p.userIds ?? [];
    await this.rules.checkDraft(db, companyId, draft);
    await this.rules.checkMembers(db, companyId, userIds);
    await this.rules.checkFamilies(
      db,
      p.service,
      p.grants.map((g) => g.right),
      userIds,
    );
    const normalised: AuthorizationCreateChange = {
      label: p.label.trim(),
      service: p.service,
      effectiveFrom: draft.effectiveFrom.toISOString(),
      ...(draft.endsAt ? { endsAt: draft.endsAt.toISOString() } : {}),
      grants: p.grants.map((g) => ({ right: g.right, level: g.level, ...(g.resourceIds?.length ? { resourceIds: g.resourceIds } : {}) })),
      userIds,
    };
    return {
      summary: `Create authorization "${normalised.label}" (${p.service}: ${grantsSummary(p.grants)}) for ${userIds.length} user(s)`,
      diff: { before: null, after: describeAuthorization({ ...normalised, endsAt: normalised.endsAt ?? null, userIds }) },
      targetType: 'authorization',
      subjectUserIds: userIds,
      payload: { ...normalised },
    };
  }

  async apply(tx: Prisma.TransactionClient, ctx: ApplyContext): Promise<Applied> {
    await this.validate(ctx.companyId, ctx.payload, tx);
    const p = parsePayload(AuthorizationCreateChange, ctx.payload);
    const userIds = p.userIds ?? [];
    await this.principals.lockRightsVersions(tx, userIds);
    const id = derivedId(ctx.changeRequestId, 0);
    await this.repo.create(tx, {
      id,
      companyId: ctx.companyId,
      label: p.label,
      service: p.service,
      effectiveFrom: new Date(p.effectiveFrom),
      endsAt: p.endsAt ? new Date(p.endsAt) : null,
      grants: p.grants,
      userIds,
    });
    return { result: { authorizationId: id }, subjectUserIds: userIds };
  }
}

@Injectable()
export class AuthorizationUpdateKind implements ChangeKindHandler {
  constructor(
    private readonly rules: AuthorizationRulesService,
    private readonly repo: AuthorizationsRepository,
    private readonly principals: PrincipalsRepository,
  ) {}

  private async check(
    db: Db | undefined,
    companyId: string,
    current: FullAuthorization,
    p: AuthorizationUpdateChange,
    endsAtGiven: boolean,
  ) {
    const effectiveFrom = p.effectiveFrom ? toDate(p.effectiveFrom, 'effectiveFrom') : current.effectiveFrom;
    const endsAt = !endsAtGiven ? current.endsAt : p.endsAt ? toDate(p.endsAt, 'endsAt') : null;
    const grants: GrantDto[] =
      p.grants ??
      current.grants.map((g) => ({
        right: g.rightCode,
        level: g.levelCode,
        ...(g.resourceIds.length ? { resourceIds: g.resourceIds } : {}),
      }));
    await this.rules.checkDraft(db, companyId, { service: current.serviceCode, effectiveFrom, endsAt, grants });
    const userIds = current.users.map((u) => u.userId);
    await this.rules.checkFamilies(
      db,
      current.serviceCode,
      grants.map((g) => g.right),
      userIds,
      current.id,
    );
    return { effectiveFrom, endsAt, grants, userIds };
  }

  async validate(companyId: string, payload: Record<string, unknown>): Promise<ChangeValidation> {
    const p = parsePayload(AuthorizationUpdateChange, payload);
    const endsAtGiven = Object.prototype.hasOwnProperty.call(payload, 'endsAt');
    if (p.label === undefined && p.effectiveFrom === undefined && !endsAtGiven && p.grants === undefined) {
      throw new ValidationFailedError([{ field: 'body', messages: ['nothing to change: give label, effectiveFrom, endsAt or grants'] }]);
    }
    const current = await loadOwned(this.repo, companyId, p.authorizationId);
    const next = await this.check(undefined, companyId, current, p, endsAtGiven);
    const before = viewOf(current);
    const after = describeAuthorization({
      label: p.label ?? current.label,
      service: current.serviceCode,
      effectiveFrom: iso(next.effectiveFrom),
      endsAt: iso(next.endsAt),
      grants: next.grants,
      userIds: next.userIds,
    });
    const changed = (Object.keys(after) as Array<keyof typeof after>).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
    return {
      summary: `Update authorization "${current.label}" (${current.serviceCode}): ${changed.length ? changed.join(', ') : 'no visible change'}`,
      diff: { before, after },
      targetType: 'authorization',
      targetId: current.id,
      targetVersion: current.version,
      subjectUserIds: next.userIds,
      payload: {
        authorizationId: current.id,
        ...(p.label !== undefined ? { label: p.label.trim() } : {}),
        ...(p.effectiveFrom !== undefined ? { effectiveFrom: next.effectiveFrom.toISOString() } : {}),
        ...(endsAtGiven ? { endsAt: iso(next.endsAt) } : {}),
        ...(p.grants !== undefined ? { grants: next.grants } : {}),
      },
    };
  }

  async apply(tx: Prisma.TransactionClient, ctx: ApplyContext): Promise<Applied> {
    const p = parsePayload(AuthorizationUpdateChange, ctx.payload);
    const endsAtGiven = Object.prototype.hasOwnProperty.call(ctx.payload, 'endsAt');
    const current = await lockOwned(this.repo, tx, ctx, p.authorizationId);
    const next = await this.check(tx, ctx.companyId, current, p, endsAtGiven);
    await this.principals.lockRightsVersions(tx, next.userIds);
    await this.repo.update(
      tx,
      current.id,
      {
        ...(p.label !== undefined ? { label: p.label } : {}),
        ...(p.effectiveFrom !== undefined ? { effectiveFrom: next.effectiveFrom } : {}),
        ...(endsAtGiven ? { endsAt: next.endsAt } : {}),
      },
      p.grants,
    );
    return { result: { authorizationId: current.id, version: current.version + 1 }, subjectUserIds: next.userIds };
  }
}

@Injectable()
export class AuthorizationDeleteKind implements ChangeKindHandler {
  constructor(
    private readonly repo: AuthorizationsRepository,
    private readonly principals: PrincipalsRepository,
  ) {}

  async validate(companyId: string, payload: Record<string, unknown>): Promise<ChangeValidation> {
    const p = parsePayload(AuthorizationDeleteChange, payload);
    const current = await loadOwned(this.repo, companyId, p.authorizationId);
    const userIds = current.users.map((u) => u.userId);
    return {
      summary: `Delete authorization "${current.label}" (${current.serviceCode}), held by ${userIds.length} user(s)`,
      diff: { before: viewOf(current), after: null },
      targetType: 'authorization',
      targetId: current.id,
      targetVersion: current.version,
      subjectUserIds: userIds,
      payload: { authorizationId: current.id },
    };
  }

  async apply(tx: Prisma.TransactionClient, ctx: ApplyContext): Promise<Applied> {
    const p = parsePayload(AuthorizationDeleteChange, ctx.payload);
    const current = await lockOwned(this.repo, tx, ctx, p.authorizationId);
    const userIds = current.users.map((u) => u.userId);
    await this.principals.lockRightsVersions(tx, userIds);
    await this.repo.delete(tx, current.id);
    return { result: { authorizationId: current.id, deleted: true }, subjectUserIds: userIds };
  }
}

@Injectable()
export class AuthorizationAssignKind implements ChangeKindHandler {
  constructor(
    private readonly rules: AuthorizationRulesService,
    private readonly repo: AuthorizationsRepository,
    private readonly principals: PrincipalsRepository,
  ) {}

  private async plan(db: Db | undefined, companyId: string, current: FullAuthorization, p: AuthorizationAssignChange) {
    const attachAsked = p.attach ?? [];
    const detachAsked = p.detach ?? [];
    const both = attachAsked.filter((id) => detachAsked.includes(id));
    if (both.length)
      throw new ValidationFailedError([{ field: 'attach', messages: [`users both attached and detached: ${both.join(', ')}`] }]);
    const holders = new Set(current.users.map((u) => u.userId));
    const attach = attachAsked.filter((id) => !holders.has(id));
    const detach = detachAsked.filter((id) => holders.has(id));
    if (attach.length === 0 && detach.length === 0)
      throw new RuleViolationError('NOTHING_TO_CHANGE', 'These users already hold (or do not hold) the authorization');
    await this.rules.checkMembers(db, companyId, attach);
    await this.rules.checkFamilies(
      db,
      current.serviceCode,
      current.grants.map((g) => g.rightCode),
      attach,
      current.id,
    );
    return { attach, detach, holders: [...holders] };
  }

  async validate(companyId: string, payload: Record<string, unknown>): Promise<ChangeValidation> {
    const p = parsePayload(AuthorizationAssignChange, payload);
    const current = await loadOwned(this.repo, companyId, p.authorizationId);
    const { attach, detach, holders } = await this.plan(undefined, companyId, current, p);
    const after = [...holders.filter((id) => !detach.includes(id)), ...attach];
    return {
      summary: `Authorization "${current.label}" (${current.serviceCode}): ${attach.length ? `give to ${attach.length} user(s)` : ''}${attach.length && detach.length ? ', ' : ''}${detach.length ? `take from ${detach.length} user(s)` : ''}`,
      diff: { before: { userIds: holders }, after: { userIds: after } },
      targetType: 'authorization',
      targetId: current.id,
      targetVersion: current.version,
      subjectUserIds: [...attach, ...detach],
      payload: { authorizationId: current.id, attach, detach },
    };
  }

  async apply(tx: Prisma.TransactionClient, ctx: ApplyContext): Promise<Applied> {
    const p = parsePayload(AuthorizationAssignChange, ctx.payload);
    const current = await lockOwned(this.repo, tx, ctx, p.authorizationId);
    const { attach, detach } = await this.plan(tx, ctx.companyId, current, p);
    await this.principals.lockRightsVersions(tx, [...attach, ...detach]);
    await this.repo.assign(tx, current.id, attach, detach);
    return { result: { authorizationId: current.id, attached: attach, detached: detach }, subjectUserIds: [...attach, ...detach] };
  }
}
