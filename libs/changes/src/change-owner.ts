import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import {
  Actor,
  AuditEventJob,
  ApplyChangePayload,
  ChangeApplyResult,
  ChangeValidation,
  type RpcServiceName,
  ValidateChangePayload,
} from '@procura/contracts';
import { PrismaService, Transactions } from '@procura/database';
import { NotFoundError } from '@procura/errors';
import { randomUUID } from 'node:crypto';
import { AppliedChangesLedger, LedgerEntry } from './applied-changes.ledger';
import { ApplyContext, ChangeEffect, ValidationContext } from './change-kind-handler';
import { ChangeHandlerRegistry } from './change-handler.registry';
import { CHANGES_OWNER } from './changes.options';
import { ChangeAfterCommit } from './owner-hooks';
import { AuditFact, auditEvent } from '@procura/messaging';
import { derivedId, parsePayload, toJson } from './payloads';
import { PlannedEntities } from './planned-entities';
import { classifyRefusal, Refusal } from './refusals';

/** Thrown inside the transaction when another application of the item recorded its outcome first: roll back, replay theirs. */
class AlreadyDecided extends Error {}

const APPLY_TIMEOUT_MS = 20_000;

/**
 * The owner side of a change, the same for every owning service: validates a payload
 * with its kind's class and hands it to the kind's handler; applies an item exactly
 * once (the handler's work and the ledger row, which holds the outcome and its audit
 * entry, commit together; a second application returns the recorded outcome),
 * classifies refusals (STALE, FAILED with the reason) and records them too, and runs the
 * service's after-commit hook. The audit entry goes back to the workflow with the
 * outcome, which appends it with the request's own: the trail gets one append per event.
 */
@Injectable()
export class ChangeOwner {
  private readonly logger = new Logger(ChangeOwner.name);
  private readonly ledger: AppliedChangesLedger;

  constructor(
    private readonly registry: ChangeHandlerRegistry,
    private readonly transactions: Transactions,
    private readonly prisma: PrismaService,
    @Inject(CHANGES_OWNER) readonly service: RpcServiceName,
    @Optional() private readonly hook?: ChangeAfterCommit,
  ) {
    this.ledger = new AppliedChangesLedger(service);
  }

  async validate(input: ValidateChangePayload, actor?: Actor): Promise<ChangeValidation> {
    const { declaration, handler } = this.registry.get(input.kind);
    // Another company's data does not exist for this actor.
    if (actor?.kind === 'user' && actor.companyId !== input.companyId) throw new NotFoundError('Company');
    const itemId = input.itemId ?? randomUUID();
    const ctx: ValidationContext = {
      companyId: input.companyId,
      actor,
      itemId,
      newId: (index = 0) => derivedId(itemId, index),
      planned: new PlannedEntities(input.planned ?? []),
    };
    const described = await handler.validate(parsePayload(declaration.payload, input.payload) as never, ctx);
    return {
      summary: described.summary,
      diff: described.diff,
      targetType: described.targetType,
      ...(described.targetId !== undefined ? { targetId: described.targetId } : {}),
      ...(described.targetVersion !== undefined ? { targetVersion: described.targetVersion } : {}),
      subjectUserIds: described.subjectUserIds,
      payload: toJson(described.plan as object),
      ...(described.creates?.length ? { creates: described.creates.map((c) => ({ ...c, companyId: input.companyId })) } : {}),
    };
  }

  async apply(input: ApplyChangePayload): Promise<ChangeApplyResult> {
    const { declaration, handler } = this.registry.get(input.kind);
    const itemId = input.changeRequestId;
    if (input.resuming) {
      // Resuming after a crash: most items were decided already, no need to redo their work to find out.
      const recorded = await this.ledger.find(this.prisma, itemId);
      if (recorded) return this.replay(input, recorded);
    }
    const ctx: ApplyContext = {
      itemId,
      companyId: input.companyId,
      makerUserId: input.makerUserId,
      mode: input.mode ?? 'approved',
      targetVersion: input.targetVersion,
      actor: `${input.makerKind ?? 'user'}:${input.makerUserId}`,
      newId: (index = 0) => derivedId(itemId, index),
      planned: new PlannedEntities(input.planned ?? []),
    };
    let effect: ChangeEffect;
    let audit: AuditEventJob[];
    try {
      const plan = parsePayload(declaration.plan ?? declaration.payload, input.payload) as never;
      await handler.prepare?.(plan, ctx);
      ({ effect, audit } = await this.transactions.run(
        async (tx) => {
          const done = await handler.apply(tx, plan, ctx);
          const events = this.auditOf(input, {
            companyId: input.companyId,
            actor: ctx.actor,
            ...done.audit,
            details: { ...done.audit.details, changeRequestId: itemId, kind: input.kind, mode: ctx.mode },
          });
          const recorded = await this.ledger.record(tx, itemId, input.kind, input.companyId, {
            outcome: 'APPLIED',
            result: done.result,
            followUp: done.followUp,
            audit: events,
          });
          if (!recorded) throw new AlreadyDecided();
          return { effect: done, audit: events };
        },
        { timeoutMs: APPLY_TIMEOUT_MS },
      ));
    } catch (error) {
      if (error instanceof AlreadyDecided) return this.replay(input, (await this.ledger.find(this.prisma, itemId))!);
      const refusal = classifyRefusal(error);
      if (!refusal) throw error; // transient (database, another service down): the caller retries
      return this.refuse(input, ctx, refusal);
    }
    await this.hook?.afterCommit({ kind: input.kind, itemId, companyId: input.companyId, followUp: effect.followUp });
    return {
      outcome: 'APPLIED',
      result: effect.result,
      ...(effect.revealOnce ? { revealOnce: effect.revealOnce } : {}),
      audit,
    };
  }

  /** The audit event of a fact, with its event id fixed now (a replay returns the same). */
  private auditOf(input: ApplyChangePayload, fact: AuditFact): AuditEventJob[] {
    return [auditEvent({ ...fact, companyId: input.companyId }, new Date())];
  }

  /** Records a refusal once, with its audit entry; an outcome recorded meanwhile wins. */
  private async refuse(input: ApplyChangePayload, ctx: ApplyContext, refusal: Refusal): Promise<ChangeApplyResult> {
    const entry: LedgerEntry = {
      outcome: refusal.outcome,
      reason: refusal.reason,
      ...(refusal.code ? { code: refusal.code } : {}),
      audit: this.auditOf(input, {
        companyId: input.companyId,
        actor: ctx.actor,
        action: `change.${refusal.outcome.toLowerCase()}`,
        targetType: 'change',
        targetId: ctx.itemId,
        details: { kind: input.kind, reason: refusal.reason, mode: ctx.mode },
      }),
    };
    // One statement, no transaction: the refusal and its audit entry are one row.
    if (!(await this.ledger.record(this.prisma, ctx.itemId, input.kind, input.companyId, entry)))
      return this.replay(input, (await this.ledger.find(this.prisma, ctx.itemId))!);
    this.logger.log({
      msg: 'change refused at apply',
      kind: input.kind,
      itemId: ctx.itemId,
      outcome: refusal.outcome,
      reason: refusal.reason,
    });
    return this.resultOf(entry);
  }

  /** The recorded outcome; the after-commit work is repeated in case the first one never ran. */
  private async replay(input: ApplyChangePayload, recorded: LedgerEntry): Promise<ChangeApplyResult> {
    if (recorded.outcome === 'APPLIED')
      await this.hook?.afterCommit({
        kind: input.kind,
        itemId: input.changeRequestId,
        companyId: input.companyId,
        followUp: recorded.followUp,
      });
    return this.resultOf(recorded);
  }

  private resultOf(entry: LedgerEntry): ChangeApplyResult {
    const result = entry.result ?? (entry.code ? { code: entry.code } : undefined);
    return {
      outcome: entry.outcome,
      ...(entry.reason ? { reason: entry.reason } : {}),
      ...(result ? { result } : {}),
      ...(entry.audit?.length ? { audit: entry.audit } : {}),
    };
  }
}
