import { Injectable, Logger } from '@nestjs/common';
import { ChangeDispatcher } from '@procura/changes';
import { AppConfig } from '@procura/config';
import { ChangeApplyResult, ChangeItemOutcome, ChangeKind, ChangeValidation, PlannedEntity } from '@procura/contracts';
import { Prisma, Transactions } from '@procura/database';
import { DomainError } from '@procura/errors';
import { FaultPoints } from '@procura/messaging';
import { sealSecret } from '@procura/security';
import { AuditService } from '../audit/audit.service';
import { AuthorizationsOutboxRelay } from '../outbox/authorizations-outbox.relay';
import { ChangeNotifier } from './change-notifier';
import { ChangeRequestRepository, Finish, FullChangeRequest } from './change-request.repository';

type Item = FullChangeRequest['items'][number];

/** How the items' outcomes make the request's: the first item not applied decides, the ones after it are NOT_APPLIED. */
export function aggregateOutcome(
  items: Array<{ kind: string; position: number }>,
  results: ChangeApplyResult[],
): { status: 'APPLIED' | 'STALE' | 'FAILED'; reason?: string; outcomes: Array<{ outcome: ChangeItemOutcome; reason: string | null }> } {
  const outcomes = items.map((_, i) => ({
    outcome: (results[i]?.outcome ?? 'NOT_APPLIED') as ChangeItemOutcome,
    reason: results[i]?.reason ?? null,
  }));
  const blocking = results.findIndex((r) => r.outcome !== 'APPLIED');
  if (blocking < 0) return { status: 'APPLIED', outcomes };
  const r = results[blocking];
  const reason =
    items.length === 1
      ? r.reason
      : `Item ${blocking + 1} of ${items.length} (${items[blocking].kind}) ${r.outcome}: ${r.reason ?? 'not applied'}`;
  return { status: r.outcome as 'STALE' | 'FAILED', ...(reason ? { reason } : {}), outcomes };
}

/** The entities the items before `position` create (stored with each item at submission). */
function plannedBefore(cr: FullChangeRequest, position: number): PlannedEntity[] {
  return cr.items.filter((i) => i.position < position).flatMap((i) => (i.creates as PlannedEntity[] | null) ?? []);
}

/**
 * Applies APPROVED change requests: each item once, in order, by its owner (in-process
 * for this service's kinds, over RPC for the others), with no transaction and no row
 * lock held while an owner works. The request's row is only locked to record the
 * outcome, and only if it is still APPROVED, so when two appliers meet (the approving
 * request and the recovery sweep after a crash) the second records nothing. Owners apply
 * each item idempotently by its id, so an applier resuming after a crash re-applies
 * nothing: it gets the recorded outcomes.
 *
 * A request of several items is validated again, all of its items, before the first is
 * applied; the moment application starts is recorded, and a request found started is
 * resumed, never validated again (its first items may be applied already).
 */
@Injectable()
export class ChangeApplier {
  private readonly logger = new Logger(ChangeApplier.name);
  private readonly faults: FaultPoints;

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: Transactions,
    private readonly repository: ChangeRequestRepository,
    private readonly dispatcher: ChangeDispatcher,
    private readonly notifier: ChangeNotifier,
    private readonly audit: AuditService,
    private readonly relay: AuthorizationsOutboxRelay,
  ) {
    this.faults = new FaultPoints(config);
  }

  /**
   * The approving (or submitting) request applies what it just approved, right away; on
   * a transient failure the recovery sweep retries. Returns the request as it ends (or null).
   */
  async applyNow(cr: FullChangeRequest): Promise<FullChangeRequest | null> {
    try {
      return await this.apply(cr, { justStarted: true });
    } catch (error) {
      this.logger.warn({
        msg: 'immediate application failed; the recovery sweep will retry',
        changeRequestId: cr.id,
        reason: error instanceof Error ? error.message : String(error),
      });
      return null;
    }
  }

  /**
   * Applies the request (read again unless the caller has it as it is now); the request as
   * it ends, or null when not APPROVED. `justStarted`: the caller recorded the start of
   * the application a moment ago, in the transaction that approved it, so nothing was
   * applied yet (owners need not look for earlier outcomes).
   */
  async apply(known: FullChangeRequest | string, options: { justStarted?: boolean } = {}): Promise<FullChangeRequest | null> {
    this.faults.reach('before-apply');
    const cr = typeof known === 'string' ? await this.repository.find(known) : known;
    if (!cr || cr.status !== 'APPROVED') return null;
    let resuming = cr.applicationStartedAt !== null && !options.justStarted;
    if (cr.applicationStartedAt === null) {
      if (cr.items.length > 1) {
        const refused = await this.validateAgain(cr);
        if (refused) return this.finish(cr, [refused.refusal], refused.position);
      }
      // Lost the race to another applier: resume as it does, without validating again.
      resuming = !(await this.repository.startApplication(cr.id));
    }
    const results: ChangeApplyResult[] = [];
    for (const item of cr.items) {
      if (item.position > 0) this.faults.reach('between-items');
      const result = await this.applyItem(cr, item, resuming);
      results.push(result);
      if (result.outcome !== 'APPLIED') break;
    }
    this.faults.reach('after-owner-apply');
    return this.finish(cr, results);
  }

  private applyItem(cr: FullChangeRequest, item: Item, resuming: boolean): Promise<ChangeApplyResult> {
    const planned = plannedBefore(cr, item.position);
    return this.dispatcher.apply({
      changeRequestId: item.id,
      kind: item.kind as ChangeKind,
      companyId: cr.companyId,
      makerUserId: cr.makerUserId,
      ...(cr.makerKind === 'operator' ? { makerKind: 'operator' as const } : {}),
      payload: item.payload as Record<string, unknown>,
      ...(item.targetVersion !== null ? { targetVersion: item.targetVersion } : {}),
      mode: cr.requiredApprovals === 0 ? 'immediate' : 'approved',
      ...(planned.length ? { planned } : {}),
      ...(resuming ? { resuming: true } : {}),
    });
  }

  /**
   * Every item validated again, in order, before the first is applied, as submitted and
   * with what the items before it plan: a refusal ends the request with nothing applied
   * (the item STALE when its target moved, FAILED when a rule no longer holds). Transient
   * failures (an owner down) throw, and the recovery sweep retries later.
   */
  private async validateAgain(cr: FullChangeRequest): Promise<{ refusal: ChangeApplyResult; position: number } | null> {
    for (const item of cr.items) {
      if (item.submitted === null) continue; // stored before the change kit: validated at apply time only
      let validation: ChangeValidation;
      try {
        const planned = plannedBefore(cr, item.position);
        validation = await this.dispatcher.validate(
          {
            kind: item.kind as ChangeKind,
            companyId: cr.companyId,
            payload: item.submitted as Record<string, unknown>,
            itemId: item.id,
            ...(planned.length ? { planned } : {}),
          },
          { kind: 'system', reason: 'change-request' },
        );
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        return { refusal, position: item.position };
      }
      if (item.targetVersion !== null && validation.targetVersion !== undefined && validation.targetVersion !== item.targetVersion)
        return {
          refusal: { outcome: 'STALE', reason: `The ${item.targetType} changed after the request was made: submit it again` },
          position: item.position,
        };
    }
    return null;
  }

  /** Records the outcome once (only if still APPROVED): items, request, audit, the maker's notice. */
  private async finish(
    cr: FullChangeRequest,
    results: ChangeApplyResult[],
    refusedBeforeApplyingAt?: number,
  ): Promise<FullChangeRequest | null> {
    const items = cr.items;
    let outcomes: Array<{ outcome: ChangeItemOutcome; reason: string | null }>;
    let status: 'APPLIED' | 'STALE' | 'FAILED';
    let reason: string | undefined;
    if (refusedBeforeApplyingAt !== undefined) {
      const refusal = results[results.length - 1];
      status = refusal.outcome as 'STALE' | 'FAILED';
      const item = items[refusedBeforeApplyingAt];
      reason = `Item ${refusedBeforeApplyingAt + 1} of ${items.length} (${item.kind}) ${status} when validated again before applying, nothing was applied: ${refusal.reason ?? ''}`;
      outcomes = items.map((i, n) =>
        n === refusedBeforeApplyingAt ? { outcome: status, reason: refusal.reason ?? null } : { outcome: 'NOT_APPLIED', reason: null },
      );
      results = [];
    } else {
      ({ status, reason, outcomes } = aggregateOutcome(items, results));
    }
    const resultData =
      results.length === 1 && items.length === 1 ? (results[0].result ?? null) : { items: results.map((r) => r.result ?? null) };
    const reveal = Object.assign({}, ...results.map((r) => r.revealOnce ?? {})) as Record<string, string>;
    const finish: Finish = {
      status,
      reason: reason ?? null,
      result: (results.length ? resultData : null) as Prisma.InputJsonValue | null,
      revealOnceSealed: Object.keys(reveal).length ? sealSecret(JSON.stringify(reveal), this.config.secretsKey).sealed : null,
      items: items.map((item, n) => ({ id: item.id, ...outcomes[n] })),
    };
    const applied = outcomes.map((o, n) => ({ position: n, kind: items[n].kind, outcome: o.outcome }));
    const recorded = await this.transactions.run(async (tx) => {
      if (!(await this.repository.finish(tx, cr.id, finish))) return false;
      // The owners' entries and the request's outcome: one append to the trail.
      await this.audit.recordEvents(
        tx,
        results.flatMap((r) => r.audit ?? []),
      );
      await this.audit.recordInTransaction(tx, {
        companyId: cr.companyId,
        actor: 'system:change-applier',
        action: `CHANGE_REQUEST_${status}`,
        targetType: 'change-request',
        targetId: cr.id,
        details: {
          kinds: items.map((i) => i.kind),
          ...(reason ? { reason } : {}),
          ...(items.length > 1 ? { items: applied } : {}),
        },
        ...(finish.result !== null ? { after: finish.result } : {}),
      });
      // A change applied at once is reported to its maker in the response itself.
      if (cr.requiredApprovals > 0) await this.notifier.outcome(tx, cr, status, reason);
      return true;
    });
    if (!recorded) return this.repository.find(cr.id);
    this.relay.nudge();
    const now = new Date();
    return {
      ...cr,
      status,
      reason: finish.reason,
      result: finish.result as Prisma.JsonValue,
      revealOnceSealed: finish.revealOnceSealed,
      appliedAt: status === 'APPLIED' ? now : null,
      items: items.map((item, n) => ({ ...item, ...outcomes[n] })),
    };
  }
}

/** A validation refusal as an item's outcome (anything else is transient). */
export function refusalOf(error: unknown): ChangeApplyResult | undefined {
  if (error instanceof DomainError && error.status < 500) {
    const detail = error.fields?.length ? ` (${error.fields.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ')})` : '';
    return { outcome: 'FAILED', reason: `${error.message}${detail}` };
  }
  return undefined;
}
