import { Injectable, Logger } from '@nestjs/common';
import { Actor, ApplyChangePayload, ChangeApplyResult, ChangeKind, ChangeValidation, ownerOf } from '@procura/contracts';
import { PrismaService } from '@procura/database';
import { DomainError, ValidationFailedError } from '@procura/errors';
import { RightsCompiler } from '../rights/rights-compiler';
import { RightsGenerations } from '../rights/rights-generations';
import { AppliedChangesRepository, AppliedRecord } from './applied-changes.repository';
import {
  AuthorizationAssignKind,
  AuthorizationCreateKind,
  AuthorizationDeleteKind,
  AuthorizationUpdateKind,
} from './authorization-changes';
import { ChangeKindHandler, StaleChangeError } from './change-support';
import { RightsAuthorizeAllKind, RightsCopyKind, RightsTemplateKind } from './rights-plan-changes';

/** Kinds this registry handles; POLICY_UPDATE belongs to the change-request workflow. */
export type RightsChangeKind = Exclude<Extract<ChangeKind, `AUTHORIZATION_${string}` | `RIGHTS_${string}`>, never>;

/**
 * The authorizations service's change kinds, callable in-process (by the RPC handlers
 * and by the dual-validation workflow once a request is approved). Applying is one
 * transaction, idempotent by change request id, STALE when the target moved, FAILED
 * with the reason when a rule no longer holds. Once `apply` returns APPLIED, every
 * replica's next check sees the change (the users' generation tokens were replaced).
 */
@Injectable()
export class AuthorizationsChangeKinds {
  private readonly logger = new Logger(AuthorizationsChangeKinds.name);
  private readonly handlers: ReadonlyMap<ChangeKind, ChangeKindHandler>;

  constructor(
    private readonly prisma: PrismaService,
    private readonly applied: AppliedChangesRepository,
    private readonly generations: RightsGenerations,
    private readonly compiler: RightsCompiler,
    create: AuthorizationCreateKind,
    update: AuthorizationUpdateKind,
    remove: AuthorizationDeleteKind,
    assign: AuthorizationAssignKind,
    template: RightsTemplateKind,
    copy: RightsCopyKind,
    authorizeAll: RightsAuthorizeAllKind,
  ) {
    this.handlers = new Map<ChangeKind, ChangeKindHandler>([
      ['AUTHORIZATION_CREATE', create],
      ['AUTHORIZATION_UPDATE', update],
      ['AUTHORIZATION_DELETE', remove],
      ['AUTHORIZATION_ASSIGN', assign],
      ['RIGHTS_TEMPLATE', template],
      ['RIGHTS_COPY', copy],
      ['RIGHTS_AUTHORIZE_ALL', authorizeAll],
    ]);
  }

  handles(kind: ChangeKind): boolean {
    return this.handlers.has(kind);
  }

  // The actor is accepted for the workflow's sake (same signature everywhere); the
  // company scope comes from `companyId`, which the caller established from the actor.
  async validate(kind: ChangeKind, companyId: string, payload: Record<string, unknown>, _actor?: Actor): Promise<ChangeValidation> {
    return this.handler(kind).validate(companyId, payload);
  }

  async apply(p: ApplyChangePayload): Promise<ChangeApplyResult> {
    const handler = this.handler(p.kind);
    const previous = await this.applied.find(p.changeRequestId);
    if (previous) {
      // A replay (retry after a lost reply, crash before the caller recorded it): same
      // answer, and the invalidation is repeated in case the first one never happened.
      await this.invalidate(previous.subjectUserIds);
      return this.resultOf(previous);
    }
    let record: AppliedRecord;
    try {
      record = await this.prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${p.changeRequestId}))`;
          const raced = await this.applied.find(p.changeRequestId, tx);
          if (raced) return raced;
          const done = await handler.apply(tx, {
            changeRequestId: p.changeRequestId,
            companyId: p.companyId,
            makerUserId: p.makerUserId,
            payload: p.payload,
            targetVersion: p.targetVersion,
          });
          const subjects = [...new Set(done.subjectUserIds)];
          await tx.principal.updateMany({ where: { userId: { in: subjects } }, data: { rightsVersion: { increment: 1 } } });
          const ok: AppliedRecord = { outcome: 'APPLIED', result: done.result, subjectUserIds: subjects };
          await this.applied.record(tx, p.changeRequestId, p.kind, p.companyId, ok);
          return ok;
        },
        { timeout: 20_000, maxWait: 10_000 },
      );
    } catch (error) {
      const refused = this.refusal(error);
      if (!refused) throw error;
      this.logger.warn({
        msg: 'change not applied',
        changeRequestId: p.changeRequestId,
        kind: p.kind,
        outcome: refused.outcome,
        reason: refused.reason,
      });
      await this.applied.record(this.prisma, p.changeRequestId, p.kind, p.companyId, refused);
      return this.resultOf((await this.applied.find(p.changeRequestId)) ?? refused);
    }
    await this.invalidate(record.subjectUserIds);
    return this.resultOf(record);
  }

  /** Replaces the users' generation tokens: must succeed before APPLIED is returned (else the caller retries, idempotently). */
  async invalidate(userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    this.compiler.forget(userIds);
    await this.generations.bump(userIds);
  }

  private refusal(error: unknown): AppliedRecord | undefined {
    if (error instanceof StaleChangeError) return { outcome: 'STALE', reason: error.message, subjectUserIds: [] };
    if (error instanceof DomainError && error.status < 500) {
      const detail = error.fields?.length ? ` (${error.fields.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ')})` : '';
      return { outcome: 'FAILED', reason: `${error.code}: ${error.message}${detail}`, subjectUserIds: [] };
    }
    return undefined;
  }

  private resultOf(r: AppliedRecord): ChangeApplyResult {
    return { outcome: r.outcome, ...(r.reason ? { reason: r.reason } : {}), ...(r.result ? { result: r.result } : {}) };
  }

  private handler(kind: ChangeKind): ChangeKindHandler {
    const handler = this.handlers.get(kind);
    if (!handler) {
      throw new ValidationFailedError([{ field: 'kind', messages: [`${kind} is not handled here (owner: ${ownerOf(kind)})`] }]);
    }
    return handler;
  }
}
