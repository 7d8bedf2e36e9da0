import { Injectable } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import {
  Actor,
  ChangeCommands,
  ChangeItemInput,
  ChangeRequestView,
  ChangeSubmissionResult,
  ChangeValidation,
  IdentitySeams,
  JOBS,
  ListChangeRequestsQuery,
  ownerOf,
  Page,
  pageWindow,
  UserContact,
} from '@procura/contracts';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '@procura/errors';
import { requestContext } from '@procura/logging';
import { CommandBus, Outbox } from '@procura/messaging';
import { openSecret } from '@procura/security';
import { randomUUID } from 'node:crypto';
import { CompanyAccessService } from '../company-access/company-access.service';
import { AuditService } from '../audit/audit.service';
import { AuthorizationsOutboxRelay } from '../outbox/authorizations-outbox.relay';
import { ChangeApplier } from './change-applier';
import { ChangeNotifier, MakerContact } from './change-notifier';
import { ChangePolicyService } from './change-policy.service';
import { ChangeRequestRepository, FullChangeRequest } from './change-request.repository';
import { toChangeRequestView } from './change-request.view';

type UserActor = Extract<Actor, { kind: 'user' }>;

const WHAT = 'Change request';

/**
 * The request that approves applies the change itself, right after the commit; the
 * durable apply job written with the approval is the safety net for a crash in between,
 * so it waits a little instead of racing the in-process application for the row lock.
 */
const APPLY_SAFETY_NET_DELAY_MS = 3000;

/**
 * The four-eyes workflow: every administrator change is a change request, validated by
 * its owning service, applied at once for an INDIVIDUAL signature when the policy allows,
 * otherwise after N approvals by other administrators (never the maker, never a subject),
 * each with a fresh TOTP code. Expiry is a delayed job; application is exactly once.
 */
@Injectable()
export class ChangeRequestService {
  private readonly outbox = new Outbox('authorizations');

  constructor(
    private readonly config: AppConfig,
    private readonly repository: ChangeRequestRepository,
    private readonly bus: CommandBus,
    private readonly policy: ChangePolicyService,
    private readonly applier: ChangeApplier,
    private readonly notifier: ChangeNotifier,
    private readonly audit: AuditService,
    private readonly access: CompanyAccessService,
    private readonly relay: AuthorizationsOutboxRelay,
  ) {}

  async submit(
    actor: Actor,
    items: ChangeItemInput[],
    options: { idempotencyKey?: string; sourceIp?: string },
  ): Promise<ChangeSubmissionResult> {
    const maker = this.requireAdministrator(actor);
    if (options.idempotencyKey) {
      const previous = await this.repository.findByIdempotencyKey(maker.userId, options.idempotencyKey);
      if (previous) return this.submission(previous);
    }
    const eligibility = await this.bus.execute(IdentitySeams.validatorEligibility, { userId: maker.userId, companyId: maker.companyId });
    if (!eligibility.eligible)
      throw new ForbiddenError(`You cannot submit changes: ${eligibility.reason ?? 'not an active administrator'}`);

    const validations = await Promise.all(items.map((item) => this.validateItem(maker, item)));
    const kinds = items.map((i) => i.kind);
    const resolved = await this.policy.resolve(maker.companyId, kinds);
    // The policy can weaken dual control: changing it always needs a second administrator.
    const immediate = eligibility.adminSignature === 'INDIVIDUAL' && resolved.allowIndividualImmediate && !kinds.includes('POLICY_UPDATE');
    const subjects = [...new Set(validations.flatMap((v) => v.subjectUserIds))];
    const contacts = await this.bus.execute(IdentitySeams.userContacts, {
      companyId: maker.companyId,
      administratorsOnly: !immediate ? true : undefined,
      userIds: immediate ? [maker.userId] : undefined,
    });
    const makerContact = this.makerContact(contacts, maker.userId);
    const validators = contacts.filter(
      (c) => c.userId !== maker.userId && !subjects.includes(c.userId) && c.status === 'ACTIVE' && c.clientType === 'ADMINISTRATOR',
    );

    const id = randomUUID();
    const summary =
      validations.length === 1
        ? validations[0].summary
        : `${validations.length} changes: ${validations
            .map((v) => v.summary)
            .slice(0, 3)
            .join('; ')}${validations.length > 3 ? '; …' : ''}`;
    const expiresAt = new Date(Date.now() + this.config.changeRequestTtlSeconds * 1000);
    let created: FullChangeRequest;
    try {
      created = await this.repository.transaction(async (tx) => {
        const cr = await this.repository.create(
          tx,
          {
            id,
            companyId: maker.companyId,
            makerUserId: maker.userId,
            makerContact: makerContact as never,
            status: immediate ? 'APPROVED' : 'PENDING',
            kind: items[0].kind,
            summary,
            requiredApprovals: immediate ? 0 : resolved.requiredApprovals,
            subjectUserIds: subjects,
            sourceIp: options.sourceIp ?? null,
            requestId: requestContext.requestId() ?? null,
            idempotencyKey: options.idempotencyKey ?? null,
            expiresAt,
            decidedAt: immediate ? new Date() : null,
          },
          validations.map((v, position) => ({
            id: randomUUID(),
            position,
            kind: items[position].kind,
            ownerService: ownerOf(items[position].kind),
            payload: v.payload as never,
            summary: v.summary,
            diff: v.diff as never,
            targetType: v.targetType,
            targetId: v.targetId ?? null,
            targetVersion: v.targetVersion ?? null,
          })),
        );
        await this.audit.recordInTransaction(tx, {
          companyId: maker.companyId,
          actor: maker,
          action: 'CHANGE_REQUEST_SUBMITTED',
          targetType: 'change-request',
          targetId: id,
          sourceIp: options.sourceIp,
          details: { kinds, immediate, requiredApprovals: cr.requiredApprovals },
          after: { items: validations.map((v) => ({ summary: v.summary, diff: v.diff })) },
        });
        if (immediate) {
          await this.outbox.add(tx, JOBS.applyChange, `apply:${id}`, { changeRequestId: id }, { delayMs: APPLY_SAFETY_NET_DELAY_MS });
        } else {
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

    await this.applier.applyNow(id);
    const after = (await this.repository.find(id))!;
    if (after.status === 'STALE' || after.status === 'FAILED') {
      throw new RuleViolationError(`CHANGE_${after.status}`, after.reason ?? `The change was not applied (${after.status})`);
    }
    // The maker sees the secret in this response only: it is erased as it is shown.
    return this.submission(after, after.revealOnceSealed ? await this.takeRevealOnce(id) : undefined);
  }

  private async validateItem(maker: UserActor, item: ChangeItemInput): Promise<ChangeValidation> {
    if (item.kind === 'POLICY_UPDATE') return this.policy.validateUpdate(maker.companyId, item.payload);
    return this.bus.execute(
      ChangeCommands.validate(ownerOf(item.kind)),
      { kind: item.kind, companyId: maker.companyId, payload: item.payload },
      { actor: maker },
    );
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
    // Both asked at once; the code is checked even for an ineligible validator (it fails either way).
    const [eligibility] = await Promise.all([
      this.bus.execute(IdentitySeams.validatorEligibility, { userId: validator.userId, companyId: cr.companyId }),
      this.bus.execute(IdentitySeams.verifyStepUp, {
        userId: validator.userId,
        code: totpCode,
        purpose: `approve change request ${cr.id}`,
      }),
    ]);
    if (!eligibility.eligible)
      throw new ForbiddenError(`You cannot approve changes: ${eligibility.reason ?? 'not an active administrator'}`);

    const approved = await this.repository.transaction(async (tx) => {
      const locked = (await this.repository.lock(tx, cr.id))!;
      this.assertPending(locked);
      if (!(await this.repository.addApproval(tx, cr.id, validator.userId))) {
        throw new ConflictError('ALREADY_APPROVED', 'You already approved this change request');
      }
      const count = locked.approvals.length + 1;
      const final = count >= locked.requiredApprovals;
      await this.audit.recordInTransaction(tx, {
        companyId: cr.companyId,
        actor: validator,
        action: final ? 'CHANGE_REQUEST_APPROVED' : 'CHANGE_REQUEST_APPROVAL_ADDED',
        targetType: 'change-request',
        targetId: cr.id,
        details: { approvals: count, requiredApprovals: locked.requiredApprovals },
      });
      if (!final) return false;
      await this.repository.set(tx, cr.id, { status: 'APPROVED', decidedAt: new Date() });
      await this.outbox.add(tx, JOBS.applyChange, `apply:${cr.id}`, { changeRequestId: cr.id }, { delayMs: APPLY_SAFETY_NET_DELAY_MS });
      return true;
    });
    this.relay.nudge();
    if (approved) await this.applier.applyNow(cr.id);
    return toChangeRequestView((await this.repository.find(cr.id))!);
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
    const closed = await this.repository.transaction(async (tx) => {
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
    return { items: items.map(toChangeRequestView), page, pageSize, total };
  }

  /** The maker sees a secret produced by the application once (then it is erased). */
  async get(actor: Actor, changeRequestId: string): Promise<ChangeRequestView> {
    const cr = await this.repository.find(changeRequestId);
    if (!cr) throw new NotFoundError(WHAT);
    await this.access.assert(actor, cr.companyId, 'administrator', WHAT);
    const view = toChangeRequestView(cr);
    if (actor.kind === 'user' && actor.userId === cr.makerUserId && cr.revealOnceSealed) {
      const revealed = await this.takeRevealOnce(cr.id);
      if (revealed) view.revealOnce = revealed;
    }
    return view;
  }

  /** The secret to show the maker, erased in the same transaction: whoever asks second gets nothing. */
  private takeRevealOnce(changeRequestId: string): Promise<Record<string, string> | undefined> {
    return this.repository.transaction(async (tx) => {
      const locked = (await this.repository.lock(tx, changeRequestId))!;
      if (!locked.revealOnceSealed) return undefined;
      await this.repository.set(tx, changeRequestId, { revealOnceSealed: null });
      return JSON.parse(openSecret({ sealed: locked.revealOnceSealed }, this.config.secretsKey)) as Record<string, string>;
    });
  }

  async pendingAbout(companyId: string, userIds: string[]) {
    return this.repository.pendingAbout(companyId, userIds);
  }

  private async findVisible(actor: UserActor, id: string): Promise<FullChangeRequest> {
    const cr = await this.repository.find(id);
    // Another company's request does not exist for this actor.
    if (!cr || cr.companyId !== actor.companyId) throw new NotFoundError(WHAT);
    return cr;
  }

  private assertPending(cr: FullChangeRequest, checkExpiry = true): void {
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
