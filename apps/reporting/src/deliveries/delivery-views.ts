import { DeliveryChannel, DeliveryFormat, DeliveryFrequency, DeliveryType, DeliveryView } from '@procura/contracts';
import { Delivery } from '@procura/database';

export function toDeliveryView(d: Delivery): DeliveryView {
  return {
    id: d.id,
    companyId: d.companyId,
    accountIdentifier: d.accountIdentifier,
    accountLabel: d.accountLabel,
    type: d.type as DeliveryType,
    format: d.format as DeliveryFormat,
    frequency: d.frequency as DeliveryFrequency,
    channel: d.channel as DeliveryChannel,
    active: d.active,
    version: d.version,
    updatedAt: d.updatedAt.toISOString(),
  };
}
