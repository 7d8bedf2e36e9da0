import { GrantDto, pricingOffer } from '@procura/contracts';
import { RuleViolationError, ValidationFailedError } from '@procura/errors';
import { CatalogIndex } from '@procura/rights';

export interface AuthorizationDraft {
  service: string;
  effectiveFrom: Date;
  endsAt: Date | null;
  grants: GrantDto[];
}

export interface ResourceFacts {
  allowedRights: string[];
}

/** The same answer for a resource that does not exist and one of another company: never leak existence. */
export const unknownResource = (id: string) =>
  new RuleViolationError('UNKNOWN_RESOURCE', `Resource ${id} is not an account or contract of this company`, [
    { field: 'grants.resourceIds', messages: [`unknown resource ${id}`] },
  ]);

/**
 * The rules every authorization obeys, whoever builds it (custom, template, copy,
 * authorize-all), checked at validation and again at apply time.
 * Banking rights always name their resources: a grant never silently extends to an
 * account opened later (authorize-all and templates list every current resource).
 */
export function checkAuthorizationDraft(
  draft: AuthorizationDraft,
  catalog: CatalogIndex,
  companyResources: ReadonlyMap<string, ResourceFacts>,
): void {
  const service = catalog.service(draft.service);
  if (!service)
    throw new RuleViolationError('UNKNOWN_SERVICE', `Unknown service ${draft.service}`, [
      { field: 'service', messages: [`unknown service ${draft.service}`] },
    ]);
  if (Number.isNaN(draft.effectiveFrom.getTime()))
    throw new ValidationFailedError([{ field: 'effectiveFrom', messages: ['effectiveFrom must be a date-time'] }]);
  if (draft.endsAt && draft.endsAt.getTime() <= draft.effectiveFrom.getTime()) {
    throw new ValidationFailedError([{ field: 'endsAt', messages: ['endsAt must be after effectiveFrom'] }]);
  }
  const seen = new Set<string>();
  for (const grant of draft.grants) {
    if (seen.has(grant.right)) throw new ValidationFailedError([{ field: 'grants', messages: [`right ${grant.right} is granted twice`] }]);
    seen.add(grant.right);
    const right = service.rights.get(grant.right);
    if (!right)
      throw new RuleViolationError('UNKNOWN_RIGHT', `${draft.service} has no right ${grant.right}`, [
        { field: 'grants.right', messages: [`unknown right ${grant.right}`] },
      ]);
    if (!service.levels.has(grant.level)) {
      throw new RuleViolationError(
        'UNKNOWN_LEVEL',
        `${draft.service} has no level ${grant.level} (levels: ${service.levelOrder.join(', ')})`,
        [{ field: 'grants.level', messages: [`unknown level ${grant.level}`] }],
      );
    }
    const resourceIds = grant.resourceIds ?? [];
    if (right.resourceScoped && resourceIds.length === 0) {
      throw new RuleViolationError('RESOURCES_REQUIRED', `${draft.service} ${grant.right} must name the accounts and contracts it covers`, [
        { field: 'grants.resourceIds', messages: ['at least one resource is required'] },
      ]);
    }
    if (!right.resourceScoped && resourceIds.length > 0) {
      throw new ValidationFailedError([{ field: 'grants.resourceIds', messages: [`${draft.service} ${grant.right} takes no resources`] }]);
    }
    for (const id of resourceIds) {
      const resource = companyResources.get(id);
      if (!resource) throw unknownResource(id);
      if (!resource.allowedRights.includes(grant.right)) {
        throw new RuleViolationError('RIGHT_NOT_ALLOWED_ON_RESOURCE', `${grant.right} is not allowed on resource ${id}`, [
          { field: 'grants.resourceIds', messages: [`${grant.right} not allowed on ${id}`] },
        ]);
      }
    }
  }
  familyOf(
    draft.service,
    draft.grants.map((g) => g.right),
    catalog,
  );
}

/**
 * Seed 001: "Certaines fonctionnalités nécessitent un niveau d'abonnement": a grant gives
 * only services the company's pricing offer includes (an offer unknown to the catalog includes none).
 */
export function checkServiceInOffer(serviceCode: string, offerCode: string): void {
  if (pricingOffer(offerCode)?.services.includes(serviceCode)) return;
  throw new RuleViolationError(
    'SERVICE_NOT_IN_OFFER',
    `The company's pricing offer ${offerCode} does not include the service ${serviceCode}: its operator may change the offer`,
    [{ field: 'service', messages: [`${serviceCode} is not in the pricing offer ${offerCode}`] }],
  );
}

/**
 * Seed 003: accounting-portal applications come in families chosen as a whole, and
 * families are never mixed. Returns the family of a valid selection (null for services
 * without families).
 */
export function familyOf(serviceCode: string, rights: string[], catalog: CatalogIndex): string | null {
  const families = catalog.families(serviceCode);
  if (families.size === 0) return null;
  const chosen = new Set(rights.map((r) => catalog.right(serviceCode, r)?.family ?? null));
  if (chosen.size > 1) {
    throw new RuleViolationError(
      'ACCOUNTING_FAMILIES_MIXED',
      `Applications of different families cannot be mixed: choose ${[...families.keys()].join(' or ')}`,
      [{ field: 'grants', messages: ['families mixed'] }],
    );
  }
  const family = [...chosen][0];
  const members = family ? (families.get(family) ?? []) : [];
  const missing = members.filter((m) => !rights.includes(m));
  if (!family || missing.length > 0) {
    throw new RuleViolationError(
      'ACCOUNTING_FAMILY_INCOMPLETE',
      `The applications of a family are chosen together: missing ${missing.join(', ')}`,
      [{ field: 'grants', messages: [`missing ${missing.join(', ')}`] }],
    );
  }
  return family;
}

/** A user never holds accounting-portal applications of two families, even through two authorizations. */
export function checkFamiliesOfUser(userId: string, families: Iterable<string>): void {
  const distinct = new Set(families);
  if (distinct.size > 1) {
    throw new RuleViolationError(
      'ACCOUNTING_FAMILIES_MIXED',
      `User ${userId} would hold accounting-portal applications of several families (${[...distinct].join(', ')})`,
      [{ field: 'userIds', messages: ['families mixed'] }],
    );
  }
}
