import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Actor, ApplyChangePayload, CHANGE_KIND_NAMES, ChangeApplyResult, ChangeKind, ChangeValidation, ownerOf } from '@procura/contracts';
import { IdentityAppliedChange, Prisma } from '@procura/database';
import { DomainError, NotFoundError, ValidationFailedError } from '@procura/errors';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { AppliedChange, ApplyContext, ChangeKindHandler, parsePayload, StaleChangeError } from './change-kind';
import { ChangesRepository } from './changes.repository';
import { CredentialCreateHandler, CredentialResetHandler, CredentialRevokeHandler } from './credential-change-handlers';
import {
  AdminSignatureSetHandler,
  UserActivateHandler,
  UserCreateHandler,
  UserDeleteHandler,
  UserReactivateHandler,
  UserSuspendHandler,
  UserUpdateHandler,
} from './user-change-handlers';

function toResult(row: IdentityAppliedChange): ChangeApplyResult {
  return {
    outcome: row.outcome as ChangeApplyResult['outcome'],
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.result && typeof row.result === 'object' ? { result: row.result as Record<string, unknown> } : {}),
  };
}

/**
 * The validate/apply seam of identity's change kinds. Apply is exactly-once per change
 * request id: the outcome (APPLIED, STALE or FAILED) is stored with the change in one
 * transaction, and a second apply returns it without doing anything.
 */
@Injectable()
export class ChangesService implements OnModuleInit {
  private readonly logger = new Logger(ChangesService.name);
  private readonly handlers = new Map<ChangeKind, ChangeKindHandler>();

  constructor(
    private readonly changes: ChangesRepository,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
    userCreate: UserCreateHandler,
    userUpdate: UserUpdateHandler,
    userActivate: UserActivateHandler,
    userSuspend: UserSuspendHandler,
    userReactivate: UserReactivateHandler,
    userDelete: UserDeleteHandler,
    adminSignature: AdminSignatureSetHandler,
    credentialCreate: CredentialCreateHandler,
    credentialRevoke: CredentialRevokeHandler,
    credentialReset: CredentialResetHandler,
  ) {
    for (const h of [
      userCreate,
      userUpdate,
      userActivate,
      userSuspend,
      userReactivate,
      userDelete,
      adminSignature,
      credentialCreate,
      credentialRevoke,
      credentialReset,
    ]) {
      this.handlers.set(h.kind, h as unknown as ChangeKindHandler);
    }
  }

  /** Fail at boot: every change kind owned by identity has exactly one handler. */
  onModuleInit(): void {
    const missing = CHANGE_KIND_NAMES.filter((k) => ownerOf(k) === 'identity' && !this.handlers.has(k));
    if (missing.length) throw new Error(`identity change kinds without a handler: ${missing.join(', ')}`);
  }

  private handler(kind: ChangeKind): ChangeKindHandler {
    const handler = this.handlers.get(kind);
    if (!handler) throw new ValidationFailedError([{ field: 'kind', messages: [`${kind} is not a change kind of the identity service`] }]);
    return handler;
  }

  async validate(kind: ChangeKind, companyId: string, rawPayload: Record<string, unknown>, actor: Actor): Promise<ChangeValidation> {
    const handler = this.handler(kind);
    if (actor.kind === 'user' && actor.companyId !== companyId) throw new NotFoundError('Company');
    return handler.validate(companyId, parsePayload(handler.payloadType, rawPayload), actor);
  }

  async apply(input: ApplyChangePayload): Promise<ChangeApplyResult> {
    const previous = await this.changes.find(input.changeRequestId);
    if (previous) return toResult(previous);
    const handler = this.handler(input.kind);
    const ctx: ApplyContext = {
      changeRequestId: input.changeRequestId,
      companyId: input.companyId,
      makerUserId: input.makerUserId,
      mode: input.mode ?? 'approved',
      targetVersion: input.targetVersion,
      actor: `user:${input.makerUserId}`,
    };
    let applied: AppliedChange | ChangeApplyResult;
    try {
      const payload = parsePayload(handler.payloadType, input.payload);
      await handler.prepare?.(input.companyId, payload);
      applied = await this.changes.transaction(async (tx) => {
        await this.changes.lock(tx, input.changeRequestId);
        const raced = await this.changes.find(input.changeRequestId, tx);
        if (raced) return toResult(raced);
        const done = await handler.apply(tx, payload, ctx);
        await this.events.audit(tx, {
          companyId: input.companyId,
          actor: ctx.actor,
          action: done.audit.action,
          targetType: done.audit.targetType,
          targetId: done.audit.targetId,
          before: done.audit.before,
          after: done.audit.after,
          details: { changeRequestId: input.changeRequestId, kind: input.kind, mode: ctx.mode },
        });
        await this.changes.save(tx, {
          changeRequestId: input.changeRequestId,
          kind: input.kind,
          companyId: input.companyId,
          outcome: 'APPLIED',
          result: done.result,
        });
        return done;
      });
    } catch (error) {
      const refused = this.refusal(error);
      if (!refused) throw error; // transient (database, another service down): the caller retries
      return this.recordRefusal(input, ctx, refused);
    }
    if ('outcome' in applied) return applied;
    this.relay.nudge();
    await applied
      .afterCommit?.()
      .catch((error: unknown) => this.logger.warn({ msg: 'after-commit step failed', kind: input.kind, err: String(error) }));
    this.logger.log({ msg: 'change applied', kind: input.kind, changeRequestId: input.changeRequestId, mode: ctx.mode });
    return { outcome: 'APPLIED', result: applied.result, ...(applied.revealOnce ? { revealOnce: applied.revealOnce } : {}) };
  }

  /** A refusal that will not change by retrying: STALE (target moved) or FAILED (a rule broke). */
  private refusal(error: unknown): { outcome: 'STALE' | 'FAILED'; reason: string; code?: string } | undefined {
    if (error instanceof StaleChangeError) return { outcome: 'STALE', reason: error.reason };
    if (error instanceof DomainError && error.status < 500) return { outcome: 'FAILED', reason: error.message, code: error.code };
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      return { outcome: 'FAILED', reason: 'The change conflicts with data created meanwhile (already exists)' };
    return undefined;
  }

  private async recordRefusal(
    input: ApplyChangePayload,
    ctx: ApplyContext,
    refused: { outcome: 'STALE' | 'FAILED'; reason: string; code?: string },
  ): Promise<ChangeApplyResult> {
    const result = await this.changes.transaction(async (tx) => {
      await this.changes.lock(tx, input.changeRequestId);
      const raced = await this.changes.find(input.changeRequestId, tx);
      if (raced) return toResult(raced);
      await this.changes.save(tx, {
        changeRequestId: input.changeRequestId,
        kind: input.kind,
        companyId: input.companyId,
        outcome: refused.outcome,
        reason: refused.reason,
        ...(refused.code ? { result: { code: refused.code } } : {}),
      });
      await this.events.audit(tx, {
        companyId: input.companyId,
        actor: ctx.actor,
        action: `change.${refused.outcome.toLowerCase()}`,
        targetType: 'change',
        targetId: input.changeRequestId,
        details: { kind: input.kind, reason: refused.reason, mode: ctx.mode },
      });
      return {
        outcome: refused.outcome,
        reason: refused.reason,
        ...(refused.code ? { result: { code: refused.code } } : {}),
      } as ChangeApplyResult;
    });
    this.relay.nudge();
    this.logger.log({ msg: 'change refused at apply', kind: input.kind, changeRequestId: input.changeRequestId, outcome: result.outcome });
    return result;
  }
}
