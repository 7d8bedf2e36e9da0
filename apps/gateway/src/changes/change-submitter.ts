import { Injectable } from '@nestjs/common';
import { Actor, ChangeCommands, ChangeItemInput, ChangeKind, ChangeRequestCommands, ChangeSubmissionResult, ownerOf } from '@procura/contracts';
import { ForbiddenError, RuleViolationError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import { createHash, randomUUID } from 'node:crypto';
import type { Response } from 'express';

export interface SubmitOptions {
  idempotencyKey?: string;
  sourceIp?: string;
}

/** Large batches are validated item by item by their owners: allow them time. */
const SUBMIT_TIMEOUT_MS = 60_000;
const WORKFLOW_ENABLED = false;

/** A stable id for a retried submission (same maker, same Idempotency-Key). */
function changeIdFor(actor: Actor, idempotencyKey?: string): string {
  if (!idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`${JSON.stringify(actor)}|${idempotencyKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The one door through which a company administrator's mutation goes. Until the
 * change-request workflow lands (issue "Dual validation") it validates with the owning
 * service and applies at once; the controllers do not change when it does.
 */
@Injectable()
export class ChangeSubmitter {
  constructor(private readonly bus: CommandBus) {}

  /** Several changes as one change request (validated, approved and applied together). */
  async submitBatch(actor: Actor, items: ChangeItemInput[], options: SubmitOptions = {}): Promise<ChangeSubmissionResult> {
    if (actor.kind !== 'user' || actor.clientType !== 'ADMINISTRATOR') throw new ForbiddenError('Only company administrators make changes');
    return this.bus.execute(ChangeRequestCommands.submit, { items, sourceIp: options.sourceIp }, { actor, idempotencyKey: options.idempotencyKey, timeoutMs: SUBMIT_TIMEOUT_MS });
  }

  async submit(actor: Actor, kind: ChangeKind, payload: Record<string, unknown>, options: SubmitOptions = {}): Promise<ChangeSubmissionResult> {
    if (WORKFLOW_ENABLED || kind === 'POLICY_UPDATE') return this.submitBatch(actor, [{ kind, payload }], options);
    if (actor.kind !== 'user' || actor.clientType !== 'ADMINISTRATOR') throw new ForbiddenError('Only company administrators make changes');
    const owner = ownerOf(kind);
    const validation = await this.bus.execute(ChangeCommands.validate(owner), { kind, companyId: actor.companyId, payload }, { actor });
    const changeRequestId = changeIdFor(actor, options.idempotencyKey);
    const applied = await this.bus.execute(
      ChangeCommands.apply(owner),
      { changeRequestId, kind, companyId: actor.companyId, makerUserId: actor.userId, payload: validation.payload, targetVersion: validation.targetVersion, mode: 'immediate' },
      { actor },
    );
    if (applied.outcome !== 'APPLIED') throw new RuleViolationError(`CHANGE_${applied.outcome}`, applied.reason ?? `The change could not be applied (${applied.outcome})`);
    return { status: 'APPLIED', changeRequestId, result: applied.result, revealOnce: applied.revealOnce };
  }
}

/** 201/200 with the result when applied at once, 202 with the change request when pending. */
export function changeResponse(res: Response, submission: ChangeSubmissionResult, appliedStatus: 200 | 201 = 201): ChangeSubmissionResult {
  res.status(submission.status === 'PENDING' ? 202 : appliedStatus);
  return submission;
}
