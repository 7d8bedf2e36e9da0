import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { ChangeApplyResult, ChangeCommands, ChangeKind, ownerOf } from '@procura/contracts';
import { CommandBus, FaultPoints } from '@procura/messaging';
import { sealSecret } from '@procura/security';
import { AuditService } from '../audit/audit.service';
import { AuthorizationsOutboxRelay } from '../outbox/authorizations-outbox.relay';
import { ChangeNotifier } from './change-notifier';
import { ChangePolicyService } from './change-policy.service';
import { ChangeRequestRepository, FullChangeRequest, Tx } from './change-request.repository';

const APPLY_TIMEOUT_MS = 30_000;

/** How the items' outcomes make the request's: the first item not applied decides. */
export function aggregateOutcome(results: ChangeApplyResult[]): { status: 'APPLIED' | 'STALE' | 'FAILED'; reason?: string } {
  const blocking = results.find((r) => r.outcome !== 'APPLIED');
  return blocking ? { status: blocking.outcome as 'STALE' | 'FAILED', reason: blocking.reason } : { status: 'APPLIED' };
}

/**
 * Applies APPROVED change requests exactly once. Both the durable `apply-change` job
 * (written through the outbox with the final approval) and the approving request itself
 * (for latency) call `apply`; the request row is locked for the whole application, so
 * whoever comes second finds it APPLIED and does nothing. Owners apply each item
 * idempotently by item id, so a crash after an owner committed but before the request
 * was marked re-applies nothing: the retry gets the recorded outcome.
 */
@Injectable()
export class ChangeApplier {
  private readonly logger = new Logger(ChangeApplier.name);
  private readonly faults: FaultPoints;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: ChangeRequestRepository,
    private readonly bus: CommandBus,
    private readonly policy: ChangePolicyService,
    private readonly notifier: ChangeNotifier,
    private readonly audit: AuditService,
    private readonly relay: AuthorizationsOutboxRelay,
  ) {
    this.faults = new FaultPoints(config);
  }

  /** Applies right away; on a transient failure the durable job will retry. */
  async applyNow(changeRequestId: string): Promise<void> {
    try {
      await this.apply(changeRequestId);
    } catch (error) {
      this.logger.warn({
        msg: 'immediate application failed; the apply job will retry',
        changeRequestId,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /**
   * The durable job's entry: almost always the approving request applied the change a
   * moment ago, so a plain status read settles it without a transaction or a lock.
   */
  async applyFromJob(changeRequestId: string): Promise<void> {
    if ((await this.repository.status(changeRequestId)) !== 'APPROVED') return;
    await this.apply(changeRequestId);
  }

  async apply(changeRequestId: string): Promise<void> {
    this.faults.reach('before-apply');
    const done = await this.repository.transaction(async (tx) => {
      const cr = await this.repository.lock(tx, changeRequestId);
      if (!cr || cr.status !== 'APPROVED') return false;
      const results: ChangeApplyResult[] = [];
      for (const item of cr.items) {
        const result = await this.applyItem(tx, cr, item);
        results.push(result);
        await this.repository.updateItem(tx, item.id, { outcome: result.outcome, reason: result.reason ?? null });
        if (result.outcome !== 'APPLIED') break;
      }
      this.faults.reach('after-owner-apply');
      const { status, reason } = aggregateOutcome(results);
      const resultData = results.length === 1 ? (results[0].result ?? null) : { items: results.map((r) => r.result ?? null) };
      const reveal = Object.assign({}, ...results.map((r) => r.revealOnce ?? {})) as Record<string, string>;
      await this.repository.set(tx, cr.id, {
        status,
        reason: reason ?? null,
        appliedAt: status === 'APPLIED' ? new Date() : null,
        result: (resultData ?? undefined) as never,
        revealOnceSealed: Object.keys(reveal).length ? sealSecret(JSON.stringify(reveal), this.config.secretsKey).sealed : null,
      });
      await this.audit.recordInTransaction(tx, {
        companyId: cr.companyId,
        actor: 'system:change-applier',
        action: `CHANGE_REQUEST_${status}`,
        targetType: 'change-request',
        targetId: cr.id,
        details: { kinds: cr.items.map((i) => i.kind), ...(reason ? { reason } : {}) },
        after: resultData ?? undefined,
      });
      // A change applied at once is reported to its maker in the response itself.
      if (cr.requiredApprovals > 0) await this.notifier.outcome(tx, cr, status, reason);
      return true;
    }, APPLY_TIMEOUT_MS + 5000);
    if (done) this.relay.nudge();
  }

  private async applyItem(tx: Tx, cr: FullChangeRequest, item: FullChangeRequest['items'][number]): Promise<ChangeApplyResult> {
    const kind = item.kind as ChangeKind;
    if (kind === 'POLICY_UPDATE')
      return this.policy.applyUpdate(tx, cr.companyId, item.payload as Record<string, unknown>, item.targetVersion);
    return this.bus.execute(
      ChangeCommands.apply(ownerOf(kind)),
      {
        changeRequestId: item.id,
        kind,
        companyId: cr.companyId,
        makerUserId: cr.makerUserId,
        payload: item.payload as Record<string, unknown>,
        ...(item.targetVersion !== null ? { targetVersion: item.targetVersion } : {}),
        mode: cr.requiredApprovals === 0 ? 'immediate' : 'approved',
      },
      { actor: { kind: 'system', reason: 'change-request' }, timeoutMs: APPLY_TIMEOUT_MS },
    );
  }
}
