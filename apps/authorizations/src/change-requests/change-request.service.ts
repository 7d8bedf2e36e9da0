import { Injectable } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import {
  Actor,
  ChangeItemInput,
  ChangeKind,
  ChangePreview,
  ChangeRequestView,
  ChangeSubmissionResult,
  declarationOf,
  IdentitySeams,
  JOBS,
  OperatorCommands,
  ListChangeRequestsQuery,
  ownerOf,
  Page,
  pageWindow,
  UserContact,
} from '@procura/contracts';
import { Transactions } from '@procura/database';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, RuleViolationError } from '@procura/errors';
import { requestContext } from '@procura/logging';
import { CommandBus, Outbox } from '@procura/messaging';
import { openSecret } from '@procura/security';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { ChangePolicyService, ResolvedPolicy } from '../change-policy/change-policy.service';
import { CompanyAccessService } from '../company-access/company-access.service';
import { AuthorizationsOutboxRelay } from '../outbox/authorizations-outbox.relay';
import { ChangeApplier } from './change-applier';
import { ChangeItemsValidator, ValidatedItem } from './change-items.validator';
import { ChangeNotifier, MakerContact } from './change-notifier';
import { ChangeRequestRepository, FullChangeRequest } from './change-request.repository';
import { toChangeRequestView } from './change-request.view';

type UserActor = Extract<Actor, { kind: 'user' }>;
type OperatorActor = Extract<Actor, { kind: 'operator' }>;
/** Who submits: a company administrator, or an operator acting for a company of their portfolio. */
type Maker = { userId: string; companyId: string; kind: 'user' | 'operator'; actor: Actor };

const WHAT = 'Change request';

/**
 * An operator's change counts as the bank's (or the firm's) own validation, like an
 * INDIVIDUAL signature: it applies at once when the client's policy lets a single
 * signature apply, and otherwise waits for the client's administrators.
 */
const OPERATOR_ELIGIBILITY = { eligible: true, adminSignature: 'INDIVIDUAL' } as const;

/** The administrators who could approve: never the maker nor a subject, and able to approve now (signature, credential, TOTP). */
const validatorsAmong = (contacts: UserContact[], makerUserId: string | undefined, subjects: string[]) =>
  contacts.filter(
    (c) =>
      c.userId !== makerUserId &&
      !subjects.includes(c.userId) &&
      c.status === 'ACTIVE' &&
      c.clientType === 'ADMINISTRATOR' &&
      c.approvalBlocker === undefined,
  );

/**
 * Seed 001: "cliquez sur Confirmer puis validez votre opération avec Sécur'Pass". Where the
 * policy asks for it, a session alone submits nothing, whatever the signature: the maker's
 * token must carry a fresh step-up (POST /auth/step-up).
 */
function assertMakerStepUp(maker: UserActor, policy: ResolvedPolicy): void {
  if (!policy.makerStepUp || (maker.stepUpUntil ?? 0) > Date.now()) return;
  throw new DomainError(
    'STEP_UP_REQUIRED',
    403,
    'This change needs your strong authentication: confirm with a code of your authenticator (POST /auth/step-up), then submit it again with the access token it returns',
  );
}

/**
 * The approvals a request needs by the client's policy: none (it applies at once) when made
 * with an INDIVIDUAL signature, an operator's counting as one, where the policy lets a single
 * signature apply, except the kinds that always need an approval.
 */
function approvalsByPolicy(
  eligibility: { eligible: boolean; adminSignature?: string } | undefined,
  policy: ResolvedPolicy,
  kinds: ChangeKind[],
): number {
  const single = eligibility?.eligible === true && eligibility.adminSignature === 'INDIVIDUAL' && policy.allowIndividualImmediate;
  return single && !alwaysNeedsApproval(kinds) ? 0 : policy.requiredApprovals;
}

/**
 * Decision D6: an operator's request (the bank's or the firm's validation) asks no more of the
 * client's administrators than they could give. Where nobody could approve (no administrator
 * yet, or none equipped to, or the only one is what it is about), it applies at once, so a
 * company's first administrator can be registered and equipped whatever the policy; where
 * fewer could approve than the policy asks, it waits for those. The kinds that always need
 * an approval keep needing the policy's.
 */
function approvalsForOperator(byPolicy: number, kinds: ChangeKind[], ableValidators: number): number {
  return alwaysNeedsApproval(kinds) ? byPolicy : Math.min(byPolicy, ableValidators);
}

const alwaysNeedsApproval = (kinds: ChangeKind[]) => kinds.some((k) => declarationOf(k).alwaysNeedsApproval);

const fullName = (c: { firstName: string; lastName: string }) => `${c.firstName} ${c.lastName}`;

/** A request that could never get its approvals is refused at submission, saying why, instead of expiring unnoticed. */
function assertEnoughValidators(needed: number, contacts: UserContact[], makerUserId: string, subjects: string[]): void {
  const missing = missingValidators(needed, contacts, makerUserId, subjects);
  if (missing)
    throw new RuleViolationError(
      'NOT_ENOUGH_VALIDATORS',
      `Nobody could approve this change: ${missing}. Ask your adviser to register or activate another administrator`,
    );
}

/**
 * Dual control that can complete: why fewer administrators than needed can approve a
 * request (undefined when enough can). Names each administrator left out and why.
 */
function missingValidators(
  needed: number,
  contacts: UserContact[],
  makerUserId: string,
  subjects: string[],
  alreadyApproved: string[] = [],
): string | undefined {
  const able = validatorsAmong(contacts, makerUserId, subjects).filter((c) => !alreadyApproved.includes(c.userId));
  if (able.length >= needed) return undefined;
  const leftOut = contacts
    .filter((c) => c.clientType === 'ADMINISTRATOR' && !able.includes(c) && !alreadyApproved.includes(c.userId))
    .map((c) =>
      c.userId === makerUserId
        ? `${fullName(c)} made it`
        : subjects.includes(c.userId)
          ? `${fullName(c)} is a person it is about`
          : `${fullName(c)}: ${c.approvalBlocker ?? 'not an active administrator'}`,
    );
  return (
    `${needed} more approval(s) needed but only ${able.length} administrator(s) can give it` +
    (leftOut.length ? ` (${leftOut.join('; ')})` : '')
  );
}

/** Why a pending request can no longer get the approvals it still needs (undefined while it can). */
function whyCannotComplete(
  cr: { requiredApprovals: number; makerUserId: string; subjectUserIds: string[]; approvals: Array<{ validatorUserId: string }> },
  contacts: UserContact[],
): string | undefined {
  const approvedBy = cr.approvals.map((a) => a.validatorUserId);
  return missingValidators(cr.requiredApprovals - approvedBy.length, contacts, cr.makerUserId, cr.subjectUserIds, approvedBy);
}

const summaryOf = (items: ValidatedItem[]) =>
  items.length === 1
    ? items[0].validation.summary
    : `${items.length} changes: ${items
        .map((v) => v.validation.summary)
        .slice(0, 3)
        .join('; ')}${items.length > 3 ? '; …' : ''}`;

/**
 * The four-eyes workflow: every administrator change is a change request of one or more
 * items, validated by their owners, applied at once for an INDIVIDUAL signature when the
 * policy allows, otherwise after N approvals by other administrators (never the maker,
 * never a subject), each with a fresh TOTP code. Expiry is a delayed job; application is
 * exactly once (ChangeApplier).
 */
@Injectable()
export class ChangeRequestService {
  private readonly outbox = new Outbox('authorizations');

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: Transactions,
    private readonly repository: ChangeRequestRepository,
    private readonly bus: CommandBus,
    private readonly policy: ChangePolicyService,
    private readonly items: ChangeItemsValidator,
    private readonly applier: ChangeApplier,
    private readonly notifier: ChangeNotifier,
    private readonly audit: AuditService,
    private readonly access: CompanyAccessService,
    private readonly relay: AuthorizationsOutboxRelay,
  ) {}

  async submit(
    actor: Actor,
    items: ChangeItemInput[],
    options: { idempotencyKey?: string; sourceIp?: string; batch?: boolean; companyId?: string },
  ): Promise<ChangeSubmissionResult> {
    const maker = await this.makerOf(actor, options.companyId);
    if (options.idempotencyKey) {
      const previous = await this.repository.findByIdempotencyKey(maker.userId, options.idempotencyKey);
      if (previous) return this.submission(previous);
    }
    const eligibility =
      maker.kind === 'operator'
        ? OPERATOR_ELIGIBILITY
        : await this.bus.execute(IdentitySeams.validatorEligibility, { userId: maker.userId, companyId: maker.companyId });
    if (!eligibility.eligible)
      throw new ForbiddenError(`You cannot submit changes: ${eligibility.reason ?? 'not an active administrator'}`);

    const kinds = items.map((i) => i.kind);
    const resolved = await this.policy.resolve(maker.companyId, kinds);
    // Operators sign in with a mandatory TOTP code; the policy's step-up is the client's administrators' Sécur'Pass.
    if (maker.actor.kind === 'user') assertMakerStepUp(maker.actor, resolved);
    const validated = await this.items.validate(maker.actor, maker.companyId, items, { itemFieldNames: options.batch === true });
    const subjects = [...new Set(validated.flatMap((v) => v.validation.subjectUserIds))];
    const byPolicy = approvalsByPolicy(eligibility, resolved, kinds);
    // Read once: an operator's approvals depend on who could approve, who are also the ones notified.
    const administrators = byPolicy > 0 ? await this.administratorsOf(maker.companyId) : undefined;
    const required =
      maker.kind === 'operator' && administrators
        ? approvalsForOperator(byPolicy, kinds, validatorsAmong(administrators, maker.userId, subjects).length)
        : byPolicy;
    const immediate = required === 0;
    // Applied at once, only the maker's own contact is needed: an administrator's (an operator's comes from identity's operators).
    const contacts =
      !immediate && administrators
        ? administrators
        : maker.kind === 'operator'
          ? []
          : await this.bus.execute(IdentitySeams.userContacts, { companyId: maker.companyId, userIds: [maker.userId] });
    const makerContact = maker.kind === 'operator' ? await this.operatorContact(maker.actor) : this.makerContact(contacts, maker.userId);
    const validators = validatorsAmong(contacts, maker.userId, subjects);
    if (!immediate) assertEnoughValidators(required, contacts, maker.userId, subjects);

    const id = randomUUID();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.changeRequestTtlSeconds * 1000);
    let created: FullChangeRequest;
    try {
      created = await this.transactions.run(async (tx) => {
        const cr = await this.repository.create(
          tx,
          {
            id,
            companyId: maker.companyId,
            makerUserId: maker.userId,
            makerKind: maker.kind,
            makerContact: makerContact as never,
            status: immediate ? 'APPROVED' : 'PENDING',
            kind: items[0].kind,
            summary: summaryOf(validated),
            requiredApprovals: required,
            subjectUserIds: subjects,
            sourceIp: options.sourceIp ?? null,
            requestId: requestContext.requestId() ?? null,
            idempotencyKey: options.idempotencyKey ?? null,
            expiresAt,
            decidedAt: immediate ? now : null,
            // Validated a moment ago: a change applied at once is not validated a second time.
            applicationStartedAt: immediate ? now : null,
          },
          validated.map((v) => ({
            id: v.id,
            position: v.position,
            kind: v.kind,
            ownerService: ownerOf(v.kind),
            payload: v.validation.payload as never,
            summary: v.validation.summary,
            diff: v.validation.diff as never,
            targetType: v.validation.targetType,
            targetId: v.validation.targetId ?? null,
            targetVersion: v.validation.targetVersion ?? null,
            ref: v.ref ?? null,
            creates: (v.validation.creates?.length ? v.validation.creates : undefined) as never,
            submitted: v.submitted as never,
          })),
        );
        await this.audit.recordInTransaction(tx, {
          companyId: maker.companyId,
          actor: maker.actor,
          action: 'CHANGE_REQUEST_SUBMITTED',
          targetType: 'change-request',
          targetId: id,
          sourceIp: options.sourceIp,
          details: { kinds, immediate, requiredApprovals: cr.requiredApprovals },
          after: { items: validated.map((v) => ({ summary: v.validation.summary, diff: v.validation.diff })) },
        });
        if (!immediate) {
          await this.outbox.add(
            tx,
            JOBS.expireChange,
            `expire:${id}`,
            { changeRequestId: id },
            { delayMs: this.config.changeRequestTtlSeconds * 1000 },
          );
          await this.notifier.pending(tx, cr, validators, makerContact);
        }
        return cr;
      });
    } catch (error) {
      // Two submissions with the same Idempotency-Key at once: the loser returns the winner's request.
      const retried = options.idempotencyKey && (await this.repository.findByIdempotencyKey(maker.userId, options.idempotencyKey));
      if (retried) return this.submission(retried);
      throw error;
    }
    this.relay.nudge();
    if (!immediate) return this.submission(created);

    // A crash (or an owner down) here leaves the request APPROVED: the recovery sweep applies it.
    const after = (await this.applier.applyNow(created)) ?? (await this.repository.find(id))!;
    if (after.status === 'STALE' || after.status === 'FAILED') {
      throw new RuleViolationError(`CHANGE_${after.status}`, after.reason ?? `The change was not applied (${after.status})`);
    }
    // The maker sees the secret in this response only: it is erased as it is shown.
    return this.submission(after, after.revealOnceSealed ? await this.takeRevealOnce(id) : undefined);
  }

  /**
   * Decision D2: exactly the validation a submission runs, nothing written; what the items
   * are, whether they would apply at once, and who could approve them.
   */
  async preview(actor: Actor, companyId: string, items: ChangeItemInput[]): Promise<ChangePreview> {
    await this.access.assert(actor, companyId, 'administrator', 'Company');
    const validated = await this.items.validate(actor, companyId, items, { itemFieldNames: true });
    const kinds = items.map((i) => i.kind);
    const makerUserId = actor.kind === 'user' ? actor.userId : undefined;
    const [resolved, eligibility, contacts] = await Promise.all([
      this.policy.resolve(companyId, kinds),
      makerUserId
        ? this.bus.execute(IdentitySeams.validatorEligibility, { userId: makerUserId, companyId })
        : actor.kind === 'operator'
          ? OPERATOR_ELIGIBILITY
          : undefined,
      this.bus.execute(IdentitySeams.userContacts, { companyId, administratorsOnly: true }),
    ]);
    const subjects = [...new Set(validated.flatMap((v) => v.validation.subjectUserIds))];
    const byPolicy = approvalsByPolicy(eligibility, resolved, kinds);
    const required =
      actor.kind === 'operator' && byPolicy > 0
        ? approvalsForOperator(byPolicy, kinds, validatorsAmong(contacts, makerUserId, subjects).length)
        : byPolicy;
    return {
      items: validated.map((v) => ({
        position: v.position,
        kind: v.kind,
        ...(v.ref !== undefined ? { ref: v.ref } : {}),
        summary: v.validation.summary,
        diff: v.validation.diff as unknown as Record<string, unknown>,
        subjectUserIds: v.validation.subjectUserIds,
        targetType: v.validation.targetType,
        ...(v.validation.targetId !== undefined ? { targetId: v.validation.targetId } : {}),
      })),
      appliesImmediately: required === 0,
      makerStepUpRequired: resolved.makerStepUp,
      requiredApprovals: required,
      eligibleValidators: validatorsAmong(contacts, makerUserId, subjects).map((c) => ({
        userId: c.userId,
        firstName: c.firstName,
        lastName: c.lastName,
      })),
    };
  }

  /**
   * The maker: a company administrator, or an operator with the company in their reach
   * (issue 16: the bank's or the firm's set-up of a client is a change request like an
   * administrator's, named in the client's audit trail, under the client's policy).
   */
  private async makerOf(actor: Actor, companyId: string | undefined): Promise<Maker> {
    if (actor.kind !== 'operator') {
      const user = this.requireAdministrator(actor);
      if (companyId !== undefined && companyId !== user.companyId) throw new NotFoundError('Company');
      return { userId: user.userId, companyId: user.companyId, kind: 'user', actor: user };
    }
    if (!companyId) throw new ForbiddenError('Operators submit changes for a company: POST /companies/{companyId}/change-requests');
    await this.access.assert(actor, companyId, 'administrator', 'Company');
    return { userId: actor.operatorId, companyId, kind: 'operator', actor };
  }

  private administratorsOf(companyId: string): Promise<UserContact[]> {
    return this.bus.execute(IdentitySeams.userContacts, { companyId, administratorsOnly: true });
  }

  /** Where an operator's outcome notices go: the operator's own e-mail. */
  private async operatorContact(actor: OperatorActor | Actor): Promise<MakerContact> {
    const operator = await this.bus.execute(OperatorCommands.me, {}, { actor });
    const [firstName, ...rest] = operator.name.split(/\s+/);
    return { email: operator.email, firstName, lastName: rest.join(' '), language: 'fr' };
  }

  private makerContact(contacts: UserContact[], makerUserId: string): MakerContact {
    const maker = contacts.find((c) => c.userId === makerUserId);
    if (!maker) throw new ForbiddenError('You cannot submit changes: your account is not an active administrator');
    return { email: maker.email, firstName: maker.firstName, lastName: maker.lastName, language: maker.language };
  }

  /** What the gateway answers: 201/200 with the result when applied, 202 with the request otherwise. */
  private submission(cr: FullChangeRequest, revealOnce?: Record<string, string>): ChangeSubmissionResult {
    if (cr.status === 'APPLIED') {
      return {
        status: 'APPLIED',
        changeRequestId: cr.id,
        result: (cr.result as Record<string, unknown>) ?? undefined,
        ...(revealOnce ? { revealOnce } : {}),
      };
    }
    return { status: 'PENDING', changeRequestId: cr.id, changeRequest: toChangeRequestView(cr) as unknown as Record<string, unknown> };
  }

  async approve(actor: Actor, changeRequestId: string, totpCode: string): Promise<ChangeRequestView> {
    const validator = this.requireUser(actor);
    const cr = await this.findVisible(validator, changeRequestId);
    this.assertPending(cr);
    if (cr.makerUserId === validator.userId) throw new ForbiddenError('You made this change: another administrator must approve it');
    if (cr.subjectUserIds.includes(validator.userId))
      throw new ForbiddenError('This change is about you: another administrator must approve it');
    if (validator.clientType !== 'ADMINISTRATOR') throw new ForbiddenError('Only administrators approve changes');
    // Said before asking for the TOTP code, so a second click does not burn one.
    if (cr.approvals.some((a) => a.validatorUserId === validator.userId))
      throw new ConflictError('ALREADY_APPROVED', 'You already approved this change request');
    // Eligibility and the fresh code in one round trip (the code is checked even for an ineligible validator).
    const eligibility = await this.bus.execute(IdentitySeams.verifyApprover, {
      userId: validator.userId,
      companyId: cr.companyId,
      code: totpCode,
      purpose: `approve change request ${cr.id}`,
    });
    if (!eligibility.eligible)
      throw new ForbiddenError(`You cannot approve changes: ${eligibility.reason ?? 'not an active administrator'}`);

    const approvedAt = new Date();
    // A request of one item needs no second validation: its application starts with the final approval.
    const startsApplication = cr.items.length === 1;
    const final = await this.transactions.run(async (tx) => {
      const locked = await this.repository.lockApprovalState(tx, cr.id);
      if (!locked) throw new NotFoundError(WHAT);
      this.assertPending(locked);
      if (!(await this.repository.addApproval(tx, cr.id, validator.userId))) {
        throw new ConflictError('ALREADY_APPROVED', 'You already approved this change request');
      }
      const count = locked.approvals + 1;
      const isFinal = count >= locked.requiredApprovals;
      await this.audit.recordInTransaction(tx, {
        companyId: cr.companyId,
        actor: validator,
        action: isFinal ? 'CHANGE_REQUEST_APPROVED' : 'CHANGE_REQUEST_APPROVAL_ADDED',
        targetType: 'change-request',
        targetId: cr.id,
        details: { approvals: count, requiredApprovals: locked.requiredApprovals, strongAuthentication: 'totp' },
      });
      if (isFinal) await this.repository.markApproved(tx, cr.id, approvedAt, startsApplication);
      return isFinal;
    });
    // A final approval's audit row goes with the outcome's, relayed once the request is applied.
    if (!final) this.relay.nudge();
    const approved: FullChangeRequest = {
      ...cr,
      approvals: [...cr.approvals, { changeRequestId: cr.id, validatorUserId: validator.userId, approvedAt }],
      ...(final ? { status: 'APPROVED', decidedAt: approvedAt, applicationStartedAt: startsApplication ? approvedAt : null } : {}),
    };
    if (!final) return toChangeRequestView(approved);
    // Applied right away; a crash (or an owner down) leaves it APPROVED for the recovery sweep.
    return toChangeRequestView((await this.applier.applyNow(approved)) ?? (await this.repository.find(cr.id))!);
  }

  async reject(actor: Actor, changeRequestId: string, reason: string): Promise<ChangeRequestView> {
    const validator = this.requireUser(actor);
    const cr = await this.findVisible(validator, changeRequestId);
    if (cr.makerUserId === validator.userId) throw new ForbiddenError('You made this change: cancel it instead');
    if (validator.clientType !== 'ADMINISTRATOR') throw new ForbiddenError('Only administrators reject changes');
    return this.close(cr.id, 'REJECTED', validator, reason);
  }

  async cancel(actor: Actor, changeRequestId: string): Promise<ChangeRequestView> {
    const maker = this.requireUser(actor);
    const cr = await this.findVisible(maker, changeRequestId);
    if (cr.makerUserId !== maker.userId) throw new ForbiddenError('Only the maker can cancel a change request');
    return this.close(cr.id, 'CANCELLED', maker);
  }

  /** Called by the delayed expiry job. */
  async expire(changeRequestId: string): Promise<void> {
    const cr = await this.repository.find(changeRequestId);
    if (!cr || cr.status !== 'PENDING') return;
    if (cr.expiresAt.getTime() > Date.now() + 1000) throw new Error('expiry job ran early; retrying later');
    await this.close(cr.id, 'EXPIRED', 'system:expiry').catch((error: unknown) => {
      if (error instanceof ConflictError) return; // decided meanwhile
      throw error;
    });
  }

  private async close(
    id: string,
    status: 'REJECTED' | 'CANCELLED' | 'EXPIRED',
    by: UserActor | string,
    reason?: string,
  ): Promise<ChangeRequestView> {
    const closed = await this.transactions.run(async (tx) => {
      const locked = (await this.repository.lock(tx, id))!;
      this.assertPending(locked, status !== 'EXPIRED');
      const updated = await this.repository.update(tx, id, { status, decidedAt: new Date(), reason: reason ?? null });
      await this.audit.recordInTransaction(tx, {
        companyId: locked.companyId,
        actor: by,
        action: `CHANGE_REQUEST_${status}`,
        targetType: 'change-request',
        targetId: id,
        ...(reason ? { details: { reason } } : {}),
      });
      if (status !== 'CANCELLED') await this.notifier.outcome(tx, updated, status, reason);
      return updated;
    });
    this.relay.nudge();
    return toChangeRequestView(closed);
  }

  async list(actor: Actor, companyId: string, query: ListChangeRequestsQuery): Promise<Page<ChangeRequestView>> {
    await this.access.assert(actor, companyId, 'administrator', 'Company');
    const { page, pageSize, skip } = pageWindow(query);
    const [items, total] = await this.repository.page(
      {
        companyId,
        status: query.status,
        kind: query.kind,
        makerUserId: query.makerUserId,
        createdBefore: query.olderThanHours !== undefined ? new Date(Date.now() - query.olderThanHours * 3600_000) : undefined,
      },
      skip,
      pageSize,
    );
    return { items: await this.flagImpossible(companyId, items.map(toChangeRequestView)), page, pageSize, total };
  }

  /** The maker sees a secret produced by the application once (then it is erased). */
  async get(actor: Actor, changeRequestId: string): Promise<ChangeRequestView> {
    const cr = await this.repository.find(changeRequestId);
    if (!cr) throw new NotFoundError(WHAT);
    await this.access.assert(actor, cr.companyId, 'administrator', WHAT);
    const [view] = await this.flagImpossible(cr.companyId, [toChangeRequestView(cr)]);
    if (actor.kind === 'user' && actor.userId === cr.makerUserId && cr.revealOnceSealed) {
      const revealed = await this.takeRevealOnce(cr.id);
      if (revealed) view.revealOnce = revealed;
    }
    return view;
  }

  /**
   * Pending requests that can no longer complete (validators suspended, signatures removed
   * since the submission) are flagged where the validators and the maker look at them.
   */
  private async flagImpossible(companyId: string, views: ChangeRequestView[]): Promise<ChangeRequestView[]> {
    if (!views.some((v) => v.status === 'PENDING')) return views;
    const contacts = await this.bus.execute(IdentitySeams.userContacts, { companyId, administratorsOnly: true });
    return views.map((v) => {
      if (v.status !== 'PENDING') return v;
      const missing = whyCannotComplete(v, contacts);
      return missing ? { ...v, cannotComplete: missing } : v;
    });
  }

  /**
   * Rule 3 (issue 17): when a company's user changes (suspended, signature removed, credential
   * revoked…), the maker of each pending request that can no longer get its approvals is told
   * by e-mail, once per request, instead of the request expiring unnoticed.
   */
  async warnMakersOfImpossible(companyId: string): Promise<void> {
    const pending = await this.repository.pendingOf(companyId);
    if (pending.length === 0) return;
    const contacts = await this.bus.execute(IdentitySeams.userContacts, { companyId, administratorsOnly: true });
    const impossible = pending.flatMap((cr) => {
      const reason = whyCannotComplete(cr, contacts);
      return reason ? [{ cr, reason }] : [];
    });
    if (impossible.length === 0) return;
    await this.transactions.run(async (tx) => {
      for (const { cr, reason } of impossible) await this.notifier.cannotComplete(tx, cr, reason);
    });
    this.relay.nudge();
  }

  /** The secret to show the maker, erased in the same transaction: whoever asks second gets nothing. */
  private takeRevealOnce(changeRequestId: string): Promise<Record<string, string> | undefined> {
    return this.transactions.run(async (tx) => {
      const locked = (await this.repository.lock(tx, changeRequestId))!;
      if (!locked.revealOnceSealed) return undefined;
      await this.repository.set(tx, changeRequestId, { revealOnceSealed: null });
      return JSON.parse(openSecret({ sealed: locked.revealOnceSealed }, this.config.secretsKey)) as Record<string, string>;
    });
  }

  private async findVisible(actor: UserActor, id: string): Promise<FullChangeRequest> {
    const cr = await this.repository.find(id);
    // Another company's request does not exist for this actor.
    if (!cr || cr.companyId !== actor.companyId) throw new NotFoundError(WHAT);
    return cr;
  }

  private assertPending(cr: { status: string; expiresAt: Date }, checkExpiry = true): void {
    if (cr.status !== 'PENDING')
      throw new ConflictError('CHANGE_REQUEST_NOT_PENDING', `This change request is ${cr.status}`, { status: cr.status });
    if (checkExpiry && cr.expiresAt.getTime() <= Date.now())
      throw new ConflictError('CHANGE_REQUEST_EXPIRED', 'This change request has expired');
  }

  private requireUser(actor: Actor): UserActor {
    if (actor.kind !== 'user') throw new ForbiddenError('Only company users act on change requests');
    return actor;
  }

  private requireAdministrator(actor: Actor): UserActor {
    const user = this.requireUser(actor);
    if (user.clientType !== 'ADMINISTRATOR') throw new ForbiddenError('Only company administrators make changes');
    return user;
  }
}
