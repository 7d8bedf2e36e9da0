import { BANKING_RIGHTS, GrantDto, Profile, PROFILES, Substitution, TemplateName } from '@procura/contracts';
import { CatalogIndex } from '@procura/rights';

export const BANKING = 'BANKING';
export const ACCOUNTING_PORTAL = 'ACCOUNTING_PORTAL';

const rankOf = (p: Profile) => PROFILES.indexOf(p);

/** Templates of seed 001 as cumulative profiles; only PREPARER and VALIDATOR are customisable. */
export const TEMPLATE_PROFILES: Record<TemplateName, { profile: Profile; customisable: boolean }> = {
  DIRECTOR: { profile: 'VALIDATE', customisable: false },
  ACCOUNTANT: { profile: 'CONSULT', customisable: false },
  PREPARER: { profile: 'MANAGE', customisable: true },
  VALIDATOR: { profile: 'VALIDATE', customisable: true },
};

type RightSelector = { all: true } | { family: string } | { rights: string[] };

/**
 * What each profile means for the services other than banking. A profile a service does
 * not define falls back to the closest lower one it does (never a higher one): e-invoicing
 * has no "manage without validation" level, so MANAGE gives CONSULT there.
 */
const SERVICE_PROFILES: Record<string, Partial<Record<Profile, { select: RightSelector; level: string }>>> = {
  EINVOICING: {
    CONSULT: { select: { all: true }, level: 'CONSULT' },
    VALIDATE: { select: { all: true }, level: 'CONSULT_ENTER_VALIDATE' },
  },
  ACCOUNTING_PORTAL: {
    CONSULT: { select: { family: 'CONSULTATION' }, level: 'ACCESS' },
    MANAGE: { select: { family: 'PRODUCTION' }, level: 'ACCESS' },
  },
  EDI: { VALIDATE: { select: { rights: ['SEND_DECLARATIONS'] }, level: 'ACCESS' } },
  REPORTS: { CONSULT: { select: { rights: ['ORDER_REPORTS'] }, level: 'ACCESS' } },
};

export const PROFILE_SERVICES = [BANKING, ...Object.keys(SERVICE_PROFILES)];

/** The closest profile at or below `requested` that `allowed` accepts; null when none. */
export function closestLowerProfile(requested: Profile, allowed: (p: Profile) => boolean): Profile | null {
  for (let r = rankOf(requested); r >= 0; r--) if (allowed(PROFILES[r])) return PROFILES[r];
  return null;
}

export interface ResourceForProfile {
  id: string;
  contractType: string;
  allowedRights: string[];
}

/** Banking rights a profile gives on one resource: every right up to the profile that the resource allows. */
export function bankingRightsOn(resource: ResourceForProfile, requested: Profile): { given: Profile | null; rights: string[] } {
  const given = closestLowerProfile(requested, (p) => resource.allowedRights.includes(p));
  if (!given) return { given, rights: [] };
  return { given, rights: BANKING_RIGHTS.filter((r) => rankOf(r) <= rankOf(given) && resource.allowedRights.includes(r)) };
}

/** Banking grants for profiles per resource, grouped per right (one grant lists every resource it covers). */
export function bankingGrants(items: Array<{ resource: ResourceForProfile; profile: Profile }>): {
  grants: GrantDto[];
  substitutions: Substitution[];
} {
  const byRight = new Map<string, string[]>();
  const substitutions: Substitution[] = [];
  for (const { resource, profile } of items) {
    const { given, rights } = bankingRightsOn(resource, profile);
    if (given !== profile) {
      substitutions.push({
        service: BANKING,
        resourceId: resource.id,
        contractType: resource.contractType,
        requested: profile,
        given,
        reason: given
          ? `${profile} is not allowed on ${resource.contractType} ${resource.id}: ${given} given instead`
          : `${profile} is not allowed on ${resource.contractType} ${resource.id}, nor any lower profile: nothing given`,
      });
    }
    for (const right of rights) byRight.set(right, [...(byRight.get(right) ?? []), resource.id]);
  }
  const grants = BANKING_RIGHTS.filter((r) => byRight.has(r)).map((right) => ({
    right,
    level: 'ACCESS',
    resourceIds: byRight.get(right)!,
  }));
  return { grants, substitutions };
}

/** Grants a profile gives on a service other than banking, with the substitution when it falls back. */
export function serviceGrants(
  service: string,
  requested: Profile,
  catalog: CatalogIndex,
): { grants: GrantDto[]; substitution?: Substitution } {
  const table = SERVICE_PROFILES[service];
  const indexed = catalog.service(service);
  if (!table || !indexed) return { grants: [] };
  const given = closestLowerProfile(requested, (p) => table[p] !== undefined);
  const substitution: Substitution | undefined =
    given === requested
      ? undefined
      : {
          service,
          requested,
          given,
          reason: given
            ? `${requested} is not available for ${service}: ${given} given instead`
            : `${requested} is not available for ${service}, nor any lower profile: nothing given`,
        };
  if (!given) return { grants: [], substitution };
  const { select, level } = table[given]!;
  const rights = [...indexed.rights.values()]
    .filter((r) => ('all' in select ? true : 'family' in select ? r.family === select.family : select.rights.includes(r.code)))
    .map((r) => r.code);
  return { grants: rights.map((right) => ({ right, level })), substitution };
}
