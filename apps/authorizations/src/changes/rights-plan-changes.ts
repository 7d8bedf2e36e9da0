import { Injectable } from '@nestjs/common';
import {
  ApplyContext,
  ChangeDescription,
  ChangeEffect,
  ChangeHandler,
  ChangeKindHandler,
  PlannedEntities,
  StaleChangeError,
  ValidationContext,
} from '@procura/changes';
import {
  GrantDto,
  PlannedAuthorizationDto,
  Profile,
  RightsAuthorizeAllChange,
  RightsCopyChange,
  RightsPlanChange,
  IdentitySeams,
  RightsTemplateChange,
  Substitution,
  TemplateName,
} from '@procura/contracts';
import { PrismaService, Tx } from '@procura/database';
import { CommandBus } from '@procura/messaging';
import { RuleViolationError, ValidationFailedError } from '@procura/errors';
import { unknownResource } from '../authorizations/authorization-rules';
import { AuthorizationRulesService, unknownUsers } from '../authorizations/authorization-rules.service';
import { AuthorizationsRepository } from '../authorizations/authorizations.repository';
import { BANKING, bankingGrants, PROFILE_SERVICES, serviceGrants, TEMPLATE_PROFILES } from '../grants/profiles';
import { PrincipalsRepository } from '../principals/principals.repository';
import { ResourcesRepository } from '../resources/resources.repository';
import { describeAuthorization, viewOf } from './authorization-changes';
import { toDate } from './dates';
import { RightsChangeEffects } from './rights-change-effects';

type Method = RightsPlanChange['method'];

/** What the maker left out, shown to the validators (seed 001: "Vérifiez la liste des droits"). */
interface Exclusions {
  services?: string[];
  resourceIds?: string[];
  rights?: Array<{ service: string; right: string }>;
}

/** The summary's title, given how to name a user (validators read names, not ids). */
type Title = (nameOf: (userId: string) => string) => string;

const TEMPLATE_LABELS: Record<TemplateName, string> = {
  DIRECTOR: 'Profil dirigeant',
  ACCOUNTANT: 'Profil comptable',
  PREPARER: 'Profil préparateur',
  VALIDATOR: 'Profil valideur',
};

function dates(effectiveFrom: string | undefined, endsAt: string | undefined, now: Date): { effectiveFrom: string; endsAt?: string } {
  const from = effectiveFrom ? toDate(effectiveFrom, 'effectiveFrom') : now;
  const end = endsAt ? toDate(endsAt, 'endsAt') : undefined;
  if (end && end.getTime() <= from.getTime())
    throw new ValidationFailedError([{ field: 'endsAt', messages: ['endsAt must be after effectiveFrom'] }]);
  return { effectiveFrom: from.toISOString(), ...(end ? { endsAt: end.toISOString() } : {}) };
}

/**
 * The three ways of giving a user rights at once (seeds 001 and 002). Each resolves, at
 * validation, into a plan of authorizations to create for the user and existing ones to
 * attach them to: the validators approve that plan and applying executes exactly it,
 * with every rule checked again.
 */
@Injectable()
export class RightsPlanner {
  constructor(
    private readonly prisma: PrismaService,
    private readonly rules: AuthorizationRulesService,
    private readonly authorizations: AuthorizationsRepository,
    private readonly principals: PrincipalsRepository,
    private readonly resources: ResourcesRepository,
    private readonly effects: RightsChangeEffects,
    private readonly bus: CommandBus,
  ) {}

  async template(p: RightsTemplateChange, { companyId, planned }: ValidationContext): Promise<ChangeDescription<RightsPlanChange>> {
    const { profile, customisable } = TEMPLATE_PROFILES[p.template];
    const excludedRights = p.excludedRights ?? [];
    const excludedResources = new Set(p.excludedResourceIds ?? []);
    if (!customisable && (excludedRights.length || excludedResources.size)) {
      throw new RuleViolationError(
        'TEMPLATE_NOT_CUSTOMISABLE',
        `The ${p.template} template gives all its rights at once: only PREPARER and VALIDATOR can be customised`,
      );
    }
    await this.rules.checkMembers(undefined, companyId, [p.userId], planned);
    const catalog = await this.rules.index();
    const services = p.services ?? [BANKING];
    for (const s of services)
      if (!PROFILE_SERVICES.includes(s) || !catalog.service(s))
        throw new RuleViolationError('UNKNOWN_SERVICE', `Unknown service ${s}`, [
          { field: 'services', messages: [`unknown service ${s}`] },
        ]);
    const companyResources = await this.resources.ofCompany(companyId);
    for (const id of excludedResources) if (!companyResources.some((r) => r.id === id)) throw unknownResource(id);
    const when = dates(p.effectiveFrom, p.endsAt, new Date());
    const isExcluded = (service: string, right: string) => excludedRights.some((e) => e.service === service && e.right === right);
    const create: PlannedAuthorizationDto[] = [];
    const substitutions: Substitution[] = [];
    for (const service of services) {
      let grants: GrantDto[];
      if (service === BANKING) {
        const planned = bankingGrants(
          companyResources.filter((r) => !excludedResources.has(r.id)).map((resource) => ({ resource, profile })),
        );
        grants = planned.grants;
        substitutions.push(...planned.substitutions);
      } else {
        const planned = serviceGrants(service, profile, catalog);
        grants = planned.grants;
        if (planned.substitution) substitutions.push(planned.substitution);
      }
      grants = grants.filter((g) => !isExcluded(service, g.right));
      if (grants.length)
        create.push({ label: `${TEMPLATE_LABELS[p.template]} – ${service}`, service, ...when, grants, userIds: [p.userId] });
    }
    return this.plan(companyId, planned, 'RIGHTS_TEMPLATE', p.userId, create, [], substitutions, { ...p }, () => `Template ${p.template}`, {
      rights: excludedRights,
      resourceIds: [...excludedResources],
    });
  }

  async copy(p: RightsCopyChange, { companyId, planned }: ValidationContext): Promise<ChangeDescription<RightsPlanChange>> {
    if (p.fromUserId === p.userId)
      throw new ValidationFailedError([{ field: 'fromUserId', messages: ['a user cannot copy their own rights'] }]);
    await this.rules.checkMembers(undefined, companyId, [p.userId], planned);
    const members = await this.principals.membersOf(this.prisma, companyId, [p.fromUserId]);
    if (!members.has(p.fromUserId)) throw unknownUsers([p.fromUserId]);
    const excludedServices = new Set(p.excludedServices ?? []);
    const excludedResources = new Set(p.excludedResourceIds ?? []);
    const companyResources = await this.resources.ofCompany(companyId);
    for (const id of excludedResources) if (!companyResources.some((r) => r.id === id)) throw unknownResource(id);
    const now = Date.now();
    const source = (await this.authorizations.ofUser(p.fromUserId)).filter(
      (a) =>
        a.companyId === companyId &&
        (!a.endsAt || a.endsAt.getTime() > now) &&
        !excludedServices.has(a.serviceCode) &&
        !a.users.some((u) => u.userId === p.userId),
    );
    // Seeds 001 and 002: copying gives the target the same rights, as its own authorizations
    // (a copy), so a later edit of the source's authorization does not change the target's
    // rights; an authorization both already share stays shared (filtered out above).
    const create: PlannedAuthorizationDto[] = [];
    for (const a of source) {
      // A grant on resources keeps those not excluded (none left: not copied); a grant without resources is copied as is.
      const grants = a.grants.flatMap((g) => {
        const kept = g.resourceIds.filter((id) => !excludedResources.has(id));
        return g.resourceIds.length > 0 && kept.length === 0 ? [] : [{ right: g.rightCode, level: g.levelCode, resourceIds: kept }];
      });
      if (grants.length === 0) continue;
      create.push({
        label: `${a.label} (copie)`,
        service: a.serviceCode,
        effectiveFrom: a.effectiveFrom.toISOString(),
        ...(a.endsAt ? { endsAt: a.endsAt.toISOString() } : {}),
        grants,
        userIds: [p.userId],
      });
    }
    return this.plan(
      companyId,
      planned,
      'RIGHTS_COPY',
      p.userId,
      create,
      [],
      [],
      { ...p },
      (nameOf) => `Copy the rights of ${nameOf(p.fromUserId)}`,
      { services: [...excludedServices], resourceIds: [...excludedResources] },
    );
  }

  async authorizeAll(p: RightsAuthorizeAllChange, { companyId, planned }: ValidationContext): Promise<ChangeDescription<RightsPlanChange>> {
    const contractTypes = p.contractTypes ?? [];
    const services = p.services ?? [];
    if (contractTypes.length === 0 && services.length === 0)
      throw new ValidationFailedError([{ field: 'contractTypes', messages: ['give a profile for at least one contract type or service'] }]);
    const dupType = contractTypes.find((c, i) => contractTypes.findIndex((o) => o.contractType === c.contractType) !== i);
    if (dupType)
      throw new ValidationFailedError([{ field: 'contractTypes', messages: [`contract type ${dupType.contractType} is given twice`] }]);
    const dupService = services.find((c, i) => services.findIndex((o) => o.service === c.service) !== i);
    if (dupService) throw new ValidationFailedError([{ field: 'services', messages: [`service ${dupService.service} is given twice`] }]);
    await this.rules.checkMembers(undefined, companyId, [p.userId], planned);
    const catalog = await this.rules.index();
    const companyResources = await this.resources.ofCompany(companyId);
    const when = dates(p.effectiveFrom, p.endsAt, new Date());
    const create: PlannedAuthorizationDto[] = [];
    const substitutions: Substitution[] = [];
    if (contractTypes.length) {
      const profileOf = new Map<string, Profile>(contractTypes.map((c) => [c.contractType, c.profile]));
      const unknownTypes = contractTypes.filter((c) => !companyResources.some((r) => r.contractType === c.contractType));
      if (unknownTypes.length) {
        throw new RuleViolationError(
          'UNKNOWN_CONTRACT_TYPE',
          `The company has no contract of type ${unknownTypes.map((c) => c.contractType).join(', ')}`,
          [{ field: 'contractTypes', messages: unknownTypes.map((c) => `no contract of type ${c.contractType}`) }],
        );
      }
      const planned = bankingGrants(
        companyResources
          .filter((r) => profileOf.has(r.contractType))
          .map((resource) => ({ resource, profile: profileOf.get(resource.contractType)! })),
      );
      substitutions.push(...planned.substitutions);
      // Seed 002: authorize-all is "valable pour tous les contrats de la relation client": the
      // authorization keeps the profiles, and contracts of these types opened later join it.
      if (planned.grants.length)
        create.push({
          label: `Tout autoriser – ${BANKING}`,
          service: BANKING,
          ...when,
          grants: planned.grants,
          userIds: [p.userId],
          standingProfiles: contractTypes.map(({ contractType, profile }) => ({ contractType, profile })),
        });
    }
    for (const { service, profile } of services) {
      if (service === BANKING)
        throw new ValidationFailedError([{ field: 'services', messages: ['banking profiles are given per contract type'] }]);
      if (!PROFILE_SERVICES.includes(service) || !catalog.service(service))
        throw new RuleViolationError('UNKNOWN_SERVICE', `Unknown service ${service}`, [
          { field: 'services', messages: [`unknown service ${service}`] },
        ]);
      const planned = serviceGrants(service, profile, catalog);
      if (planned.substitution) substitutions.push(planned.substitution);
      if (planned.grants.length)
        create.push({ label: `Tout autoriser – ${service}`, service, ...when, grants: planned.grants, userIds: [p.userId] });
    }
    return this.plan(companyId, planned, 'RIGHTS_AUTHORIZE_ALL', p.userId, create, [], substitutions, { ...p }, () => 'Authorize all');
  }

  private async plan(
    companyId: string,
    planned: PlannedEntities,
    method: Method,
    userId: string,
    create: PlannedAuthorizationDto[],
    attach: string[],
    substitutions: Substitution[],
    request: Record<string, unknown>,
    titled: Title,
    exclusions: Exclusions = {},
  ): Promise<ChangeDescription<RightsPlanChange>> {
    const names = await this.namesOf(companyId, [userId, ...(typeof request.fromUserId === 'string' ? [request.fromUserId] : [])], planned);
    const nameOf = (id: string) => names.get(id) ?? `user ${id}`;
    const title = titled(nameOf);
    if (create.length === 0 && attach.length === 0)
      throw new RuleViolationError('NOTHING_TO_GRANT', `${title} gives ${nameOf(userId)} no right they do not already have`);
    const principal = await this.principals.find(userId);
    const rightsPlan: RightsPlanChange = { userId, method, create, attach, substitutions, request };
    await this.checkPlan(undefined, companyId, rightsPlan, planned);
    const attached = await Promise.all(attach.map((id) => this.authorizations.find(id)));
    const parts = [
      ...create.map(
        (c) =>
          `create "${c.label}" (${c.service}: ${c.grants.map((g) => `${g.right}:${g.level}${g.resourceIds?.length ? `×${g.resourceIds.length}` : ''}`).join(', ')})` +
          (c.standingProfiles?.length
            ? `, standing rule for contracts opened later: ${c.standingProfiles.map((sp) => `${sp.contractType} ${sp.profile}`).join(', ')}`
            : ''),
      ),
      ...attached.map((a) => `attach to "${a!.label}" (${a!.serviceCode})`),
      ...substitutions.map((s) => `substitution: ${s.reason}`),
      ...(await this.exclusionParts(companyId, exclusions)),
    ];
    // The target's current rights beside the new ones: what the validator approves is the difference.
    const now = Date.now();
    const current = (await this.authorizations.ofUser(userId)).filter(
      (a) => a.companyId === companyId && (!a.endsAt || a.endsAt.getTime() > now),
    );
    return {
      summary: `${title} for ${nameOf(userId)}: ${parts.join('; ')}`,
      diff: {
        before: { userId, userName: nameOf(userId), authorizations: current.map((a) => ({ authorizationId: a.id, ...viewOf(a) })) },
        after: {
          userId,
          userName: nameOf(userId),
          ...(typeof request.fromUserId === 'string' ? { fromUserName: nameOf(request.fromUserId) } : {}),
          excluded: exclusions,
          create: create.map((c) => ({
            ...describeAuthorization({ ...c, endsAt: c.endsAt ?? null, userIds: [userId] }),
            ...(c.standingProfiles?.length ? { standingProfiles: c.standingProfiles } : {}),
          })),
          attach: attached.map((a) => ({ authorizationId: a!.id, ...viewOf(a!) })),
          substitutions,
        },
      },
      targetType: 'user-rights',
      targetId: userId,
      targetVersion: principal?.rightsVersion ?? 0,
      subjectUserIds: [userId],
      plan: rightsPlan,
      creates: [
        {
          type: 'user-rights',
          id: userId,
          data: { services: [...new Set([...create.map((c) => c.service), ...attached.map((a) => a!.serviceCode)])] },
        },
      ],
    };
  }

  /** First and last names, from the request's own planned users or identity. */
  private async namesOf(companyId: string, userIds: string[], planned: PlannedEntities): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const unknown: string[] = [];
    for (const id of new Set(userIds)) {
      const plannedUser = planned.user(companyId, id);
      if (plannedUser) names.set(id, `${plannedUser.firstName} ${plannedUser.lastName}`);
      else unknown.push(id);
    }
    if (unknown.length) {
      const contacts = await this.bus.execute(IdentitySeams.userContacts, { companyId, userIds: unknown });
      for (const c of contacts) names.set(c.userId, `${c.firstName} ${c.lastName}`);
    }
    return names;
  }

  /** The exclusions in the validator's words: services, rights, and accounts or contracts by label. */
  private async exclusionParts(companyId: string, exclusions: Exclusions): Promise<string[]> {
    const parts: string[] = [];
    if (exclusions.services?.length) parts.push(`excluding the services ${exclusions.services.join(', ')}`);
    if (exclusions.rights?.length) parts.push(`excluding the rights ${exclusions.rights.map((r) => `${r.service}:${r.right}`).join(', ')}`);
    if (exclusions.resourceIds?.length) {
      const labels = new Map((await this.resources.ofCompany(companyId)).map((r) => [r.id, `${r.label} (${r.identifier})`]));
      parts.push(`excluding ${exclusions.resourceIds.map((id) => labels.get(id) ?? id).join(', ')}`);
    }
    return parts;
  }

  /** Every rule again, on the planned authorizations as a whole. */
  private async checkPlan(db: Tx | undefined, companyId: string, plan: RightsPlanChange, planned: PlannedEntities): Promise<void> {
    await this.rules.checkMembers(db, companyId, [plan.userId], planned);
    const byService = new Map<string, string[]>();
    for (const c of plan.create) {
      await this.rules.checkDraft(db, companyId, {
        service: c.service,
        effectiveFrom: toDate(c.effectiveFrom, 'effectiveFrom'),
        endsAt: c.endsAt ? toDate(c.endsAt, 'endsAt') : null,
        grants: c.grants,
      });
      byService.set(c.service, [...(byService.get(c.service) ?? []), ...c.grants.map((g) => g.right)]);
    }
    for (const id of plan.attach) {
      const a = await this.authorizations.find(id, db ?? this.prisma);
      if (!a || a.companyId !== companyId) throw new StaleChangeError(`Authorization ${id} no longer exists`);
      await this.rules.checkOffer(companyId, a.serviceCode);
      byService.set(a.serviceCode, [...(byService.get(a.serviceCode) ?? []), ...a.grants.map((g) => g.rightCode)]);
    }
    for (const [service, rights] of byService) await this.rules.checkFamilies(db, service, rights, [plan.userId]);
  }

  async apply(tx: Tx, plan: RightsPlanChange, ctx: ApplyContext): Promise<ChangeEffect> {
    const versions = await this.effects.lock(tx, ctx.companyId, [plan.userId], ctx.planned);
    const version = versions.get(plan.userId);
    if (version === undefined) throw unknownUsers([plan.userId]);
    if (ctx.targetVersion !== undefined && version !== ctx.targetVersion)
      throw new StaleChangeError(`The rights of user ${plan.userId} changed since the request was made`);
    await this.checkPlan(tx, ctx.companyId, plan, ctx.planned);
    const created: string[] = [];
    for (const [i, c] of plan.create.entries()) {
      const id = ctx.newId(i);
      await this.authorizations.create(tx, {
        id,
        companyId: ctx.companyId,
        label: c.label,
        service: c.service,
        effectiveFrom: new Date(c.effectiveFrom),
        endsAt: c.endsAt ? new Date(c.endsAt) : null,
        grants: c.grants,
        userIds: [plan.userId],
        ...(c.standingProfiles?.length ? { standingProfiles: c.standingProfiles } : {}),
      });
      created.push(id);
    }
    for (const id of plan.attach) await this.authorizations.assign(tx, id, [plan.userId], []);
    return {
      result: {
        userId: plan.userId,
        createdAuthorizationIds: created,
        attachedAuthorizationIds: plan.attach,
        substitutions: plan.substitutions ?? [],
      },
      audit: {
        action: 'RIGHTS_GIVEN',
        targetType: 'user-rights',
        targetId: plan.userId,
        after: { method: plan.method, createdAuthorizationIds: created, attachedAuthorizationIds: plan.attach },
      },
      followUp: await this.effects.changed(tx, [plan.userId]),
    };
  }
}

/** The three kinds share the planner: they differ only by how the plan is built. */
@Injectable()
@ChangeHandler('RIGHTS_TEMPLATE')
export class RightsTemplateKind implements ChangeKindHandler<'RIGHTS_TEMPLATE'> {
  constructor(private readonly planner: RightsPlanner) {}
  validate = (p: RightsTemplateChange, ctx: ValidationContext) => this.planner.template(p, ctx);
  apply = (tx: Tx, plan: RightsPlanChange, ctx: ApplyContext) => this.planner.apply(tx, plan, ctx);
}

@Injectable()
@ChangeHandler('RIGHTS_COPY')
export class RightsCopyKind implements ChangeKindHandler<'RIGHTS_COPY'> {
  constructor(private readonly planner: RightsPlanner) {}
  validate = (p: RightsCopyChange, ctx: ValidationContext) => this.planner.copy(p, ctx);
  apply = (tx: Tx, plan: RightsPlanChange, ctx: ApplyContext) => this.planner.apply(tx, plan, ctx);
}

@Injectable()
@ChangeHandler('RIGHTS_AUTHORIZE_ALL')
export class RightsAuthorizeAllKind implements ChangeKindHandler<'RIGHTS_AUTHORIZE_ALL'> {
  constructor(private readonly planner: RightsPlanner) {}
  validate = (p: RightsAuthorizeAllChange, ctx: ValidationContext) => this.planner.authorizeAll(p, ctx);
  apply = (tx: Tx, plan: RightsPlanChange, ctx: ApplyContext) => this.planner.apply(tx, plan, ctx);
}
