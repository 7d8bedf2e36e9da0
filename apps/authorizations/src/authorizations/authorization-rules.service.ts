import { Injectable } from '@nestjs/common';
import { PlannedEntities } from '@procura/changes';
import { GrantDto, IdentitySeams } from '@procura/contracts';
import { Db, PrismaService } from '@procura/database';
import { RuleViolationError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import { CatalogIndex } from '@procura/rights';
import { CatalogService } from '../catalog/catalog.service';
import { PrincipalsRepository } from '../principals/principals.repository';
import { ResourcesRepository } from '../resources/resources.repository';
import { checkAuthorizationDraft, checkFamiliesOfUser, checkServiceInOffer } from './authorization-rules';
import { AuthorizationsRepository } from './authorizations.repository';

export interface Draft {
  service: string;
  effectiveFrom: Date;
  endsAt: Date | null;
  grants: GrantDto[];
}

/** The same answer for a user who does not exist and one of another company. */
export const unknownUsers = (ids: string[]) =>
  new RuleViolationError('UNKNOWN_USER', `User(s) ${ids.join(', ')} are not users of this company`, [
    { field: 'userIds', messages: ids.map((id) => `unknown user ${id}`) },
  ]);

/** The rules of authorization-rules.ts fed with the company's data (resources, users, other authorizations). */
@Injectable()
export class AuthorizationRulesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly catalog: CatalogService,
    private readonly resources: ResourcesRepository,
    private readonly principals: PrincipalsRepository,
    private readonly authorizations: AuthorizationsRepository,
    private readonly bus: CommandBus,
  ) {}

  index(): Promise<CatalogIndex> {
    return this.catalog.index();
  }

  async checkDraft(db: Db | undefined, companyId: string, draft: Draft): Promise<void> {
    // The offer is asked for beside the local reads, but looked at after the draft: a draft's
    // own mistake is answered first, even while identity cannot answer.
    const offer = this.pricingOfferOf(companyId);
    offer.catch(() => undefined); // awaited below unless the draft is refused first
    const [catalog, resources] = await Promise.all([this.catalog.index(), this.resources.ofCompany(companyId, db ?? this.prisma)]);
    checkAuthorizationDraft(draft, catalog, new Map(resources.map((r) => [r.id, r])));
    checkServiceInOffer(draft.service, await offer);
  }

  /**
   * The company's pricing offer includes `service` (seed 001). Asked afresh each time, not
   * cached: an operator's change of offer holds for the very next grant.
   */
  async checkOffer(companyId: string, service: string): Promise<void> {
    checkServiceInOffer(service, await this.pricingOfferOf(companyId));
  }

  private async pricingOfferOf(companyId: string): Promise<string> {
    return (await this.bus.execute(IdentitySeams.companySummary, { companyId })).pricingOffer;
  }

  /** Users of the company that may receive rights; a user an earlier item of the request registers counts. */
  async checkMembers(
    db: Db | undefined,
    companyId: string,
    userIds: string[],
    planned: PlannedEntities = PlannedEntities.none,
  ): Promise<void> {
    const members = await this.principals.membersOf(db ?? this.prisma, companyId, userIds);
    const plannedUsers = planned.usersAmong(companyId, userIds);
    const unknown = userIds.filter((id) => !members.has(id) && !plannedUsers.has(id));
    if (unknown.length) throw unknownUsers(unknown);
  }

  /** Users given `rights` of `service` keep to one accounting-portal family across all their authorizations. */
  async checkFamilies(
    db: Db | undefined,
    service: string,
    rights: string[],
    userIds: string[],
    exceptAuthorizationId?: string,
  ): Promise<void> {
    const catalog = await this.catalog.index();
    if (catalog.families(service).size === 0 || userIds.length === 0) return;
    const held = await this.authorizations.rightsOfUsersIn(db ?? this.prisma, service, userIds, exceptAuthorizationId);
    const familyOf = (r: string) => catalog.right(service, r)?.family ?? 'NONE';
    for (const userId of userIds) checkFamiliesOfUser(userId, [...rights, ...(held.get(userId) ?? [])].map(familyOf));
  }
}
