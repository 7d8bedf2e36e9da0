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
  AuthorizationAssignChange,
  AuthorizationCreateChange,
  AuthorizationDeleteChange,
  AuthorizationUpdateChange,
  GrantDto,
} from '@procura/contracts';
import { Db, Tx } from '@procura/database';
import { NotFoundError, RuleViolationError, ValidationFailedError } from '@procura/errors';
import { AuthorizationRulesService } from '../authorizations/authorization-rules.service';
import { AuthorizationsRepository, FullAuthorization } from '../authorizations/authorizations.repository';
import { iso, toDate } from './dates';
import { RightsChangeEffects } from './rights-change-effects';

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

async function lockOwned(repo: AuthorizationsRepository, tx: Tx, ctx: ApplyContext, id: string): Promise<FullAuthorization> {
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
@ChangeHandler('AUTHORIZATION_CREATE')
export class AuthorizationCreateKind implements ChangeKindHandler<'AUTHORIZATION_CREATE'> {
  constructor(
    private readonly rules: AuthorizationRulesService,
    private readonly repo: AuthorizationsRepository,
    private readonly effects: RightsChangeEffects,
  ) {}

  /** Every rule of a new authorization; the normalised payload. */
  private async check(db: Db | undefined, companyId: string, p: AuthorizationCreateChange, planned: PlannedEntities) {
    const draft = {
      service: p.service,
      effectiveFrom: toDate(p.effectiveFrom, 'effectiveFrom'),
      endsAt: p.endsAt ? toDate(p.endsAt, 'endsAt') : null,
      grants: p.grants,
    };
    const userIds = p.userIds ?? [];
    await this.rules.checkDraft(db, companyId, draft);
    await this.rules.checkMembers(db, companyId, userIds, planned);
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
    return normalised;
  }

  async validate(p: AuthorizationCreateChange, ctx: ValidationContext): Promise<ChangeDescription<AuthorizationCreateChange>> {
    const normalised = await this.check(undefined, ctx.companyId, p, ctx.planned);
    const userIds = normalised.userIds ?? [];
    return {
      summary: `Create authorization "${normalised.label}" (${p.service}: ${grantsSummary(p.grants)}) for ${userIds.length} user(s)`,
      diff: { before: null, after: describeAuthorization({ ...normalised, endsAt: normalised.endsAt ?? null, userIds }) },
      targetType: 'authorization',
      targetId: ctx.newId(),
      subjectUserIds: userIds,
      plan: normalised,
      creates: [
        { type: 'authorization', id: ctx.newId(), data: { service: p.service } },
        ...userIds.map((userId) => ({ type: 'user-rights', id: userId, data: { services: [p.service] } })),
      ],
    };
  }

  async apply(tx: Tx, plan: AuthorizationCreateChange, ctx: ApplyContext): Promise<ChangeEffect> {
    const userIds = plan.userIds ?? [];
    await this.effects.lock(tx, ctx.companyId, userIds, ctx.planned);
    await this.check(tx, ctx.companyId, plan, ctx.planned);
    const id = ctx.newId();
    await this.repo.create(tx, {
      id,
      companyId: ctx.companyId,
      label: plan.label,
      service: plan.service,
      effectiveFrom: new Date(plan.effectiveFrom),
      endsAt: plan.endsAt ? new Date(plan.endsAt) : null,
      grants: plan.grants,
      userIds,
    });
    return {
      result: { authorizationId: id },
      audit: {
        action: 'AUTHORIZATION_CREATED',
        targetType: 'authorization',
        targetId: id,
        after: describeAuthorization({ ...plan, endsAt: plan.endsAt ?? null, userIds }),
      },
      followUp: await this.effects.changed(tx, userIds),
    };
  }
}

@Injectable()
@ChangeHandler('AUTHORIZATION_UPDATE')
export class AuthorizationUpdateKind implements ChangeKindHandler<'AUTHORIZATION_UPDATE'> {
  constructor(
    private readonly rules: AuthorizationRulesService,
    private readonly repo: AuthorizationsRepository,
    private readonly effects: RightsChangeEffects,
  ) {}

  private async check(db: Db | undefined, companyId: string, current: FullAuthorization, p: AuthorizationUpdateChange) {
    const endsAtGiven = p.endsAt !== undefined;
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

  async validate(p: AuthorizationUpdateChange, { companyId }: ValidationContext): Promise<ChangeDescription<AuthorizationUpdateChange>> {
    const endsAtGiven = p.endsAt !== undefined;
    if (p.label === undefined && p.effectiveFrom === undefined && !endsAtGiven && p.grants === undefined) {
      throw new ValidationFailedError([{ field: 'body', messages: ['nothing to change: give label, effectiveFrom, endsAt or grants'] }]);
    }
    const current = await loadOwned(this.repo, companyId, p.authorizationId);
    const next = await this.check(undefined, companyId, current, p);
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
      plan: {
        authorizationId: current.id,
        ...(p.label !== undefined ? { label: p.label.trim() } : {}),
        ...(p.effectiveFrom !== undefined ? { effectiveFrom: next.effectiveFrom.toISOString() } : {}),
        ...(endsAtGiven ? { endsAt: iso(next.endsAt) } : {}),
        ...(p.grants !== undefined ? { grants: next.grants } : {}),
      } as AuthorizationUpdateChange,
    };
  }

  async apply(tx: Tx, p: AuthorizationUpdateChange, ctx: ApplyContext): Promise<ChangeEffect> {
    const endsAtGiven = p.endsAt !== undefined;
    const current = await lockOwned(this.repo, tx, ctx, p.authorizationId);
    const next = await this.check(tx, ctx.companyId, current, p);
    await this.effects.lock(tx, ctx.companyId, next.userIds, ctx.planned);
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
    return {
      result: { authorizationId: current.id, version: current.version + 1 },
      audit: { action: 'AUTHORIZATION_UPDATED', targetType: 'authorization', targetId: current.id, before: viewOf(current) },
      followUp: await this.effects.changed(tx, next.userIds),
    };
  }
}

@Injectable()
@ChangeHandler('AUTHORIZATION_DELETE')
export class AuthorizationDeleteKind implements ChangeKindHandler<'AUTHORIZATION_DELETE'> {
  constructor(
    private readonly repo: AuthorizationsRepository,
    private readonly effects: RightsChangeEffects,
  ) {}

  async validate(p: AuthorizationDeleteChange, { companyId }: ValidationContext): Promise<ChangeDescription<AuthorizationDeleteChange>> {
    const current = await loadOwned(this.repo, companyId, p.authorizationId);
    const userIds = current.users.map((u) => u.userId);
    return {
      summary: `Delete authorization "${current.label}" (${current.serviceCode}), held by ${userIds.length} user(s)`,
      diff: { before: viewOf(current), after: null },
      targetType: 'authorization',
      targetId: current.id,
      targetVersion: current.version,
      subjectUserIds: userIds,
      plan: { authorizationId: current.id },
    };
  }

  async apply(tx: Tx, p: AuthorizationDeleteChange, ctx: ApplyContext): Promise<ChangeEffect> {
    const current = await lockOwned(this.repo, tx, ctx, p.authorizationId);
    const userIds = current.users.map((u) => u.userId);
    await this.effects.lock(tx, ctx.companyId, userIds, ctx.planned);
    await this.repo.delete(tx, current.id);
    return {
      result: { authorizationId: current.id, deleted: true },
      audit: { action: 'AUTHORIZATION_DELETED', targetType: 'authorization', targetId: current.id, before: viewOf(current) },
      followUp: await this.effects.changed(tx, userIds),
    };
  }
}

@Injectable()
@ChangeHandler('AUTHORIZATION_ASSIGN')
export class AuthorizationAssignKind implements ChangeKindHandler<'AUTHORIZATION_ASSIGN'> {
  constructor(
    private readonly rules: AuthorizationRulesService,
    private readonly repo: AuthorizationsRepository,
    private readonly effects: RightsChangeEffects,
  ) {}

  private async plan(
    db: Db | undefined,
    companyId: string,
    current: FullAuthorization,
    p: AuthorizationAssignChange,
    planned: PlannedEntities,
  ) {
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
    await this.rules.checkMembers(db, companyId, attach, planned);
    if (attach.length) await this.rules.checkOffer(companyId, current.serviceCode);
    await this.rules.checkFamilies(
      db,
      current.serviceCode,
      current.grants.map((g) => g.rightCode),
      attach,
      current.id,
    );
    return { attach, detach, holders: [...holders] };
  }

  async validate(
    p: AuthorizationAssignChange,
    { companyId, planned }: ValidationContext,
  ): Promise<ChangeDescription<AuthorizationAssignChange>> {
    const current = await loadOwned(this.repo, companyId, p.authorizationId);
    const { attach, detach, holders } = await this.plan(undefined, companyId, current, p, planned);
    const after = [...holders.filter((id) => !detach.includes(id)), ...attach];
    return {
      summary: `Authorization "${current.label}" (${current.serviceCode}): ${attach.length ? `give to ${attach.length} user(s)` : ''}${attach.length && detach.length ? ', ' : ''}${detach.length ? `take from ${detach.length} user(s)` : ''}`,
      diff: { before: { userIds: holders }, after: { userIds: after } },
      targetType: 'authorization',
      targetId: current.id,
      targetVersion: current.version,
      subjectUserIds: [...attach, ...detach],
      plan: { authorizationId: current.id, attach, detach },
      creates: attach.map((userId) => ({ type: 'user-rights', id: userId, data: { services: [current.serviceCode] } })),
    };
  }

  async apply(tx: Tx, p: AuthorizationAssignChange, ctx: ApplyContext): Promise<ChangeEffect> {
    const current = await lockOwned(this.repo, tx, ctx, p.authorizationId);
    await this.effects.lock(tx, ctx.companyId, p.attach ?? [], ctx.planned);
    const { attach, detach } = await this.plan(tx, ctx.companyId, current, p, ctx.planned);
    await this.effects.lock(tx, ctx.companyId, detach, ctx.planned);
    await this.repo.assign(tx, current.id, attach, detach);
    return {
      result: { authorizationId: current.id, attached: attach, detached: detach },
      audit: {
        action: 'AUTHORIZATION_ASSIGNED',
        targetType: 'authorization',
        targetId: current.id,
        after: { attached: attach, detached: detach },
      },
      followUp: await this.effects.changed(tx, [...attach, ...detach]),
    };
  }
}
