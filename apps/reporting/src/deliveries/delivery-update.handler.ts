import { Injectable } from '@nestjs/common';
import {
  ApplyContext,
  ChangeDescription,
  ChangeEffect,
  ChangeHandler,
  ChangeKindHandler,
  StaleChangeError,
  ValidationContext,
} from '@procura/changes';
import { DeliveryUpdateChange } from '@procura/contracts';
import { Delivery, Tx } from '@procura/database';
import { ConflictError, NotFoundError, RuleViolationError, ValidationFailedError } from '@procura/errors';
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

function withChange(current: Delivery, change: DeliveryUpdateChange): DeliverySettings & { active: boolean } {
  const after = { ...settingsOf(current) };
  for (const field of CHANGEABLE) if (change[field] !== undefined) (after as Record<Changeable, unknown>)[field] = change[field];
  return after;
}

/**
 * The DELIVERY_UPDATE change kind (seed 002: "Livraisons > Modifier"): validate says what
 * the change is and that it is acceptable now; apply makes it on the version validated.
 */
@Injectable()
@ChangeHandler('DELIVERY_UPDATE')
export class DeliveryUpdateHandler implements ChangeKindHandler<'DELIVERY_UPDATE'> {
  constructor(private readonly deliveries: DeliveriesRepository) {}

  async validate(change: DeliveryUpdateChange, { companyId }: ValidationContext): Promise<ChangeDescription<DeliveryUpdateChange>> {
    const delivery = await this.deliveries.find(change.deliveryId);
    if (!delivery || delivery.companyId !== companyId) throw new NotFoundError('Delivery');
    if (change.version !== undefined && change.version !== delivery.version) {
      throw new ConflictError(
        'VERSION_MISMATCH',
        `The delivery changed since you read it (version ${delivery.version}, not ${change.version}); reload it`,
      );
    }
    const before = settingsOf(delivery);
    const after = withChange(delivery, change);
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
      plan: { deliveryId: delivery.id, ...pick(after) } as DeliveryUpdateChange,
    };
  }

  async apply(tx: Tx, change: DeliveryUpdateChange, ctx: ApplyContext): Promise<ChangeEffect> {
    const current = await this.deliveries.findInTx(tx, change.deliveryId);
    if (!current || current.companyId !== ctx.companyId) throw new NotFoundError('Delivery');
    const expected = ctx.targetVersion ?? current.version;
    if (current.version !== expected)
      throw new StaleChangeError(`The delivery changed after the request was made (version ${current.version}, not ${expected})`);
    const after = withChange(current, change);
    const problems = deliveryProblems(after);
    if (problems.length) throw new RuleViolationError('DELIVERY_NOT_OFFERED', problems.map((p) => p.message).join('; '));
    const updated = await this.deliveries.updateVersioned(tx, current.id, expected, {
      format: after.format,
      frequency: after.frequency,
      channel: after.channel,
      active: after.active,
    });
    if (!updated) throw new StaleChangeError('The delivery changed while the request was applied');
    return {
      result: { delivery: toDeliveryView(updated) },
      audit: {
        action: 'DELIVERY_UPDATED',
        targetType: 'Delivery',
        targetId: updated.id,
        before: settingsOf(current),
        after: settingsOf(updated),
      },
    };
  }
}
