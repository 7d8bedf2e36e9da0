import { Injectable, Logger } from '@nestjs/common';
import { ApplyChangePayload, ChangeApplyResult, ChangeValidation, DeliveryUpdateChange, ValidateChangePayload } from '@procura/contracts';
import { Delivery } from '@procura/database';
import { ConflictError, flattenValidationErrors, NotFoundError, RuleViolationError, ValidationFailedError } from '@procura/errors';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ReportingEvents, ReportingOutboxRelay } from '../shared/reporting-events';
import { DeliveriesRepository } from './deliveries.repository';
import { deliveryProblems, DeliverySettings } from './delivery-rules';
import { toDeliveryView } from './delivery-views';

const CHANGEABLE = ['format', 'frequency', 'channel', 'active'] as const;
type Changeable = (typeof CHANGEABLE)[number];

function settingsOf(d: Delivery): DeliverySettings & { active: boolean } {
  return { type: d.type, format: d.format, frequency: d.frequency, channel: d.channel, active: d.active } as DeliverySettings & {
    active: boolean;
  };
}

/**
 * The DELIVERY_UPDATE change kind (seed 002: "Livraisons > Modifier"), owned here:
 * validate says what the change is and that it is acceptable now; apply makes it, in
 * one transaction, exactly once per change request, and only on the version validated.
 */
@Injectable()
export class DeliveryChangesService {
  private readonly logger = new Logger(DeliveryChangesService.name);

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly events: ReportingEvents,
    private readonly relay: ReportingOutboxRelay,
  ) {}

  async validate(input: ValidateChangePayload): Promise<ChangeValidation> {
    const change = await this.parse(input.kind, input.payload);
    const delivery = await this.deliveries.find(change.deliveryId);
    if (!delivery || delivery.companyId !== input.companyId) throw new NotFoundError('Delivery');
    if (change.version !== undefined && change.version !== delivery.version) {
      throw new ConflictError(
        'VERSION_MISMATCH',
        `The delivery changed since you read it (version ${delivery.version}, not ${change.version}); reload it`,
      );
    }
    const before = settingsOf(delivery);
    const after = { ...before };
    for (const field of CHANGEABLE) if (change[field] !== undefined) (after as Record<Changeable, unknown>)[field] = change[field];
    const changed = CHANGEABLE.filter((f) => after[f] !== before[f]);
    if (changed.length === 0) throw new ValidationFailedError([{ field: 'body', messages: ['The change leaves the delivery as it is'] }]);
    const problems = deliveryProblems(after);
    if (problems.length) {
      throw new RuleViolationError(
        'DELIVERY_NOT_OFFERED',
        'This delivery is not offered with these settings',
        problems.map((p) => ({ field: p.field, messages: [p.message] })),
      );
    }
    const pick = (s: typeof before) => Object.fromEntries(changed.map((f) => [f, s[f]]));
    return {
      summary: `Change delivery ${delivery.type} of account ${delivery.accountLabel} (${delivery.accountIdentifier}): ${changed.map((f) => `${f} ${String(before[f])} → ${String(after[f])}`).join(', ')}`,
      diff: { before: pick(before), after: pick(after) },
      targetType: 'Delivery',
      targetId: delivery.id,
      targetVersion: delivery.version,
      subjectUserIds: [],
      payload: { deliveryId: delivery.id, ...pick(after) },
    };
  }

  async apply(input: ApplyChangePayload): Promise<ChangeApplyResult> {
    const change = await this.parse(input.kind, input.payload);
    const result = await this.deliveries.transaction(async (tx): Promise<ChangeApplyResult> => {
      const previous = await this.deliveries.appliedChange(tx, input.changeRequestId);
      if (previous) {
        return {
          outcome: previous.outcome as ChangeApplyResult['outcome'],
          ...(previous.reason ? { reason: previous.reason } : {}),
          ...(previous.result ? { result: previous.result as Record<string, unknown> } : {}),
        };
      }
      const record = async (outcome: ChangeApplyResult): Promise<ChangeApplyResult> => {
        await this.deliveries.recordAppliedChange(tx, {
          changeRequestId: input.changeRequestId,
          kind: input.kind,
          outcome: outcome.outcome,
          reason: outcome.reason ?? null,
          ...(outcome.result ? { result: outcome.result as object } : {}),
        });
        return outcome;
      };
      const current = await this.deliveries.findInTx(tx, change.deliveryId);
      if (!current || current.companyId !== input.companyId) return record({ outcome: 'FAILED', reason: 'The delivery no longer exists' });
      const expected = input.targetVersion ?? current.version;
      if (current.version !== expected)
        return record({
          outcome: 'STALE',
          reason: `The delivery changed after the request was made (version ${current.version}, not ${expected})`,
        });
      const after = { ...settingsOf(current) };
      for (const field of CHANGEABLE) if (change[field] !== undefined) (after as Record<Changeable, unknown>)[field] = change[field];
      const problems = deliveryProblems(after);
      if (problems.length) return record({ outcome: 'FAILED', reason: problems.map((p) => p.message).join('; ') });
      const updated = await this.deliveries.updateVersioned(tx, current.id, expected, {
        format: after.format,
        frequency: after.frequency,
        channel: after.channel,
        active: after.active,
      });
      if (!updated) return record({ outcome: 'STALE', reason: 'The delivery changed while the request was applied' });
      await this.events.audit(tx, {
        companyId: input.companyId,
        actor: `user:${input.makerUserId}`,
        action: 'DELIVERY_UPDATED',
        targetType: 'Delivery',
        targetId: updated.id,
        before: settingsOf(current),
        after: settingsOf(updated),
        details: { changeRequestId: input.changeRequestId },
      });
      return record({ outcome: 'APPLIED', result: { delivery: toDeliveryView(updated) } });
    });
    this.relay.nudge();
    this.logger.log({ msg: 'delivery change applied', changeRequestId: input.changeRequestId, outcome: result.outcome });
    return result;
  }

  private async parse(kind: string, payload: Record<string, unknown>): Promise<DeliveryUpdateChange> {
    if (kind !== 'DELIVERY_UPDATE')
      throw new ValidationFailedError([{ field: 'kind', messages: [`reporting does not own change kind ${kind}`] }]);
    const change = plainToInstance(DeliveryUpdateChange, payload);
    const errors = await validate(change, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) throw new ValidationFailedError(flattenValidationErrors(errors));
    return change;
  }
}
