import { Injectable } from '@nestjs/common';
import { Actor } from '@procura/contracts';
import { Tx } from '@procura/database';
import { AuditService } from '../audit/audit.service';
import { AuthorizationsRepository, standingProfilesOf } from '../authorizations/authorizations.repository';
import { BANKING, bankingRightsOn, ResourceForProfile } from '../grants/profiles';
import { PrincipalsRepository } from '../principals/principals.repository';
import { RightsCompiler } from '../rights/rights-compiler';
import { RightsGenerations } from '../rights/rights-generations';

/** What a new contract did to the standing rules: the users whose rights changed. */
export interface StandingExtension {
  rightsChangedFor: string[];
}

export const NO_EXTENSION: StandingExtension = { rightsChangedFor: [] };

/**
 * Authorize-all as a standing rule (seed 002: "valable pour tous les contrats de la relation
 * client"): a contract opened later joins every banking authorization whose standing profile
 * covers its type, at the closest lower level the contract allows, with no new change request
 * (the validators approved the rule itself, which names the contract types and profiles).
 */
@Injectable()
export class StandingRulesService {
  constructor(
    private readonly authorizations: AuthorizationsRepository,
    private readonly principals: PrincipalsRepository,
    private readonly audit: AuditService,
    private readonly compiler: RightsCompiler,
    private readonly generations: RightsGenerations,
  ) {}

  /**
   * In the transaction that creates `resource` (or changes its type or allowed rights): extends
   * the standing authorizations that cover it by the rights they do not give on it yet, and
   * audits each. Nothing to add, nothing written.
   */
  async extendTo(tx: Tx, actor: Actor, companyId: string, resource: ResourceForProfile): Promise<StandingExtension> {
    const standing = await this.authorizations.lockStanding(tx, companyId, BANKING, new Date());
    const extended = standing.flatMap((a) => {
      const rule = standingProfilesOf(a)?.find((p) => p.contractType === resource.contractType);
      if (!rule) return [];
      const { given, rights } = bankingRightsOn(resource, rule.profile);
      const missing = rights.filter((right) => !a.grants.some((g) => g.rightCode === right && g.resourceIds.includes(resource.id)));
      return missing.length ? [{ authorization: a, rule, given: given!, rights: missing }] : [];
    });
    const users = [...new Set(extended.flatMap((e) => e.authorization.users.map((u) => u.userId)))];
    // As every rights change: the users' rows are locked, then their rights versions move on
    // (a pending change validated on the older rights becomes STALE).
    await this.principals.lockRightsVersions(tx, users);
    for (const { authorization, rule, given, rights } of extended) {
      await this.authorizations.addResources(
        tx,
        authorization.id,
        rights.map((right) => ({ right, level: 'ACCESS', resourceIds: [resource.id] })),
      );
      await this.audit.recordInTransaction(tx, {
        companyId,
        actor,
        action: 'STANDING_RULE_APPLIED',
        targetType: 'authorization',
        targetId: authorization.id,
        after: { resourceId: resource.id, contractType: resource.contractType, rights },
        details: {
          standingRule: `Authorize all: ${rule.contractType} ${rule.profile}`,
          requested: rule.profile,
          given,
          userIds: authorization.users.map((u) => u.userId),
        },
      });
    }
    await this.principals.bumpRightsVersions(tx, users);
    return { rightsChangedFor: users };
  }

  /** After the commit, before answering: every replica's (and the gateway's) copy of those users' rights is stale. */
  async afterCommit({ rightsChangedFor }: StandingExtension): Promise<void> {
    if (rightsChangedFor.length === 0) return;
    this.compiler.forget(rightsChangedFor);
    await this.generations.bump(rightsChangedFor);
  }
}
