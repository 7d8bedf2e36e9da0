import { Injectable } from '@nestjs/common';
import { Actor, ChangeItemInput, ChangeKind, ChangeRequestCommands, ChangeSubmissionResult } from '@procura/contracts';
import { ForbiddenError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import type { FastifyReply } from 'fastify';

export interface SubmitOptions {
  idempotencyKey?: string;
  sourceIp?: string;
}

export interface BatchOptions extends SubmitOptions {
  /** Submitted through the batch endpoint: refusals name fields `items[i].payload.<field>`. */
  batch?: boolean;
  /** The company the request is for: how an operator managing it submits (issue 16). */
  companyId?: string;
}

/** Large batches are validated item by item by their owners: allow them time. */
const SUBMIT_TIMEOUT_MS = 60_000;

/**
 * The one door through which a company administrator's mutation goes: it becomes a
 * change request of the authorizations service, applied at once or waiting for approval
 * according to the company's policy and the maker's signature.
 */
@Injectable()
export class ChangeSubmitter {
  constructor(private readonly bus: CommandBus) {}

  submit(actor: Actor, kind: ChangeKind, payload: Record<string, unknown>, options: SubmitOptions = {}): Promise<ChangeSubmissionResult> {
    return this.submitBatch(actor, [{ kind, payload }], options);
  }

  /** Several changes as one change request (validated, approved and applied together). */
  async submitBatch(actor: Actor, items: ChangeItemInput[], options: BatchOptions = {}): Promise<ChangeSubmissionResult> {
    requireMaker(actor, options.companyId);
    return this.bus.execute(
      ChangeRequestCommands.submit,
      {
        items,
        sourceIp: options.sourceIp,
        ...(options.batch ? { batch: true } : {}),
        ...(options.companyId ? { companyId: options.companyId } : {}),
      },
      { actor, idempotencyKey: options.idempotencyKey, timeoutMs: SUBMIT_TIMEOUT_MS },
    );
  }
}

/**
 * Changes, and their previews, are made by company administrators, and by the operators
 * managing the company when they name it (the composite endpoint); the authorizations
 * service checks the operator's reach (404 outside it).
 */
export function requireMaker(actor: Actor, companyId?: string): void {
  if (actor.kind === 'operator' && companyId) return;
  if (actor.kind !== 'user' || actor.clientType !== 'ADMINISTRATOR') throw new ForbiddenError('Only company administrators make changes');
}

/** 201/200 with the result when applied at once, 202 with the change request when pending. */
export function changeResponse(
  res: FastifyReply,
  submission: ChangeSubmissionResult,
  appliedStatus: 200 | 201 = 201,
): ChangeSubmissionResult {
  res.status(submission.status === 'PENDING' ? 202 : appliedStatus);
  return submission;
}
