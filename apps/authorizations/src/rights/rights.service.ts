import { Injectable } from '@nestjs/common';
import { Actor, CheckAnswer, CheckQuestionDto, CompiledRightsAnswer, EffectiveRightsView, ReportUserRights } from '@procura/contracts';
import { NotFoundError } from '@procura/errors';
import {
  catalogVersion,
  CompiledRights,
  compileRights,
  effectiveRightsView,
  evaluate,
  instant,
  isActiveAt,
  principalBlock,
  rightsToWire,
} from '@procura/rights';
import { AuthorizationsRepository, standingProfilesOf } from '../authorizations/authorizations.repository';
import { CatalogService } from '../catalog/catalog.service';
import { CompanyAccessService } from '../company-access/company-access.service';
import { PrincipalsRepository } from '../principals/principals.repository';
import { ResourcesRepository } from '../resources/resources.repository';
import { RightsCompiler } from './rights-compiler';

/** Effective rights and the check: evaluated from the compiled rights, never from SQL. */
@Injectable()
export class RightsService {
  constructor(
    private readonly compiler: RightsCompiler,
    private readonly catalog: CatalogService,
    private readonly access: CompanyAccessService,
    private readonly authorizations: AuthorizationsRepository,
    private readonly resources: ResourcesRepository,
    private readonly principals: PrincipalsRepository,
  ) {}

  async check(actor: Actor, q: CheckQuestionDto): Promise<CheckAnswer> {
    return (await this.checkBatch(actor, [q]))[0];
  }

  async checkBatch(actor: Actor, questions: CheckQuestionDto[]): Promise<CheckAnswer[]> {
    const ats = questions.map((q, i) => instant(q.at, `questions.${i}.at`));
    const [compiled, catalog] = await Promise.all([this.compiler.rightsOf(questions.map((q) => q.userId)), this.catalog.index()]);
    const allowedCompanies = new Set<string>();
    for (const q of questions) await this.visible(actor, compiled.get(q.userId) ?? null, allowedCompanies);
    return questions.map((q, i) => evaluate(compiled.get(q.userId)!, q, ats[i], catalog));
  }

  async effectiveRights(actor: Actor, userId: string, at: string | undefined): Promise<EffectiveRightsView> {
    const when = instant(at);
    const rights = await this.visible(actor, (await this.compiler.rightsOf([userId])).get(userId) ?? null, new Set());
    return effectiveRightsView(userId, rights, when);
  }

  /** Seam for the gateway, which answers the check from its own copy (see RightsCompiler.entriesOf). */
  async compiledRights(userIds: string[]): Promise<CompiledRightsAnswer> {
    const [entries, views] = await Promise.all([this.compiler.entriesOf(userIds), this.catalog.list()]);
    return {
      catalogVersion: catalogVersion(views),
      users: userIds.map((userId) => {
        const entry = entries.get(userId)!;
        return { userId, token: entry.token, rights: entry.rights ? rightsToWire(entry.rights) : null };
      }),
    };
  }

  /** Seam for identity's banking-power rule: services the user's authorizations cover, whatever their dates. */
  async servicesOfUser(userId: string, companyId: string): Promise<string[]> {
    return this.authorizations.servicesOfUser(userId, companyId);
  }

  /** Seam for the access-rights report. */
  async reportRights(
    companyId: string,
    userIds: string[],
    at: string | undefined,
    pending: Map<string, ReportUserRights['pendingChangeRequests']>,
  ): Promise<Record<string, ReportUserRights>> {
    const when = instant(at);
    if (userIds.length === 0) return {};
    // Read from the tables, not the compiled-rights cache: a report page is a one-off
    // read of 200 users, and caching 10,000 of them would only evict the hot ones.
    const [byUser, principals, catalog] = await Promise.all([
      this.authorizations.ofUsersByUser(userIds),
      this.principals.findMany(userIds),
      this.catalog.index(),
    ]);
    const resourceIds = new Set([...byUser.values()].flatMap((auths) => auths.flatMap((a) => a.grants.flatMap((g) => g.resourceIds))));
    const resources = new Map(
      (await this.resources.byIds([...resourceIds])).filter((r) => r.companyId === companyId).map((r) => [r.id, r]),
    );
    const principalOf = new Map(principals.map((p) => [p.userId, p]));
    const out: Record<string, ReportUserRights> = {};
    for (const userId of userIds) {
      const mine = byUser.get(userId)!.filter((a) => a.companyId === companyId);
      const principal = principalOf.get(userId);
      const rights = principal ? compileRights(principal, mine, catalog) : null;
      const usable = rights && rights.companyId === companyId && !principalBlock(rights, when);
      out[userId] = {
        authorizations: mine.map((a) => ({
          id: a.id,
          label: a.label,
          service: a.serviceCode,
          effectiveFrom: a.effectiveFrom.toISOString(),
          endsAt: a.endsAt?.toISOString() ?? null,
          active: isActiveAt({ from: a.effectiveFrom.getTime(), until: a.endsAt?.getTime() ?? null }, when),
          ...(standingProfilesOf(a) ? { standingProfiles: standingProfilesOf(a)! } : {}),
        })),
        effectiveRights: usable
          ? mine
              .filter((a) => isActiveAt({ from: a.effectiveFrom.getTime(), until: a.endsAt?.getTime() ?? null }, when))
              .flatMap((a) =>
                a.grants.map((g) => ({
                  service: a.serviceCode,
                  right: g.rightCode,
                  level: g.levelCode,
                  resources: g.resourceIds.length
                    ? g.resourceIds.flatMap((id) => {
                        const r = resources.get(id);
                        return r ? [{ id: r.id, label: r.label, identifier: r.identifier }] : [];
                      })
                    : null,
                  authorizationId: a.id,
                })),
              )
          : [],
        pendingChangeRequests: pending.get(userId) ?? [],
      };
    }
    return out;
  }

  /** The user's rights if the actor may see them; 404 otherwise (never says whether the user exists). */
  private async visible(actor: Actor, rights: CompiledRights | null, allowed: Set<string>): Promise<CompiledRights> {
    if (!rights) throw new NotFoundError('User');
    if (!allowed.has(rights.companyId)) {
      await this.access.assert(actor, rights.companyId, 'member', 'User');
      allowed.add(rights.companyId);
    }
    return rights;
  }
}
