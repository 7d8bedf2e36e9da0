import { DeliveryChannel, DeliveryFormat, DeliveryFrequency, DeliveryType } from '@procura/contracts';
import { deliveryProblems } from './delivery-rules';

describe('deliveryProblems', () => {
  const ok = {
    type: DeliveryType.ACCOUNT_STATEMENT,
    format: DeliveryFormat.CAMT_053,
    frequency: DeliveryFrequency.DAILY,
    channel: DeliveryChannel.EBICS,
  };

  it('accepts the combinations the bank produces', () => {
    expect(deliveryProblems(ok)).toEqual([]);
    expect(
      deliveryProblems({
        type: DeliveryType.INTEREST_CLOSING,
        format: DeliveryFormat.PDF,
        frequency: DeliveryFrequency.QUARTERLY,
        channel: DeliveryChannel.EMAIL,
      }),
    ).toEqual([]);
    expect(
      deliveryProblems({
        type: DeliveryType.CAMT_NOTIFICATION,
        format: DeliveryFormat.CAMT_054,
        frequency: DeliveryFrequency.ON_EVENT,
        channel: DeliveryChannel.SFTP,
      }),
    ).toEqual([]);
  });

  it('refuses a format the kind of delivery does not exist in', () => {
    const problems = deliveryProblems({
      ...ok,
      type: DeliveryType.INTEREST_CLOSING,
      format: DeliveryFormat.MT940,
      frequency: DeliveryFrequency.MONTHLY,
    });
    expect(problems).toEqual([{ field: 'format', message: 'INTEREST_CLOSING is delivered as PDF, not MT940' }]);
  });

  it('never sends machine-readable bank files by e-mail', () => {
    expect(deliveryProblems({ ...ok, channel: DeliveryChannel.EMAIL }).map((p) => p.field)).toEqual(['channel']);
  });

  it('keeps camt.052 intraday and interest closings periodic', () => {
    expect(
      deliveryProblems({
        type: DeliveryType.CAMT_NOTIFICATION,
        format: DeliveryFormat.CAMT_052,
        frequency: DeliveryFrequency.MONTHLY,
        channel: DeliveryChannel.EBICS,
      }).map((p) => p.field),
    ).toEqual(['frequency']);
    expect(
      deliveryProblems({
        type: DeliveryType.INTEREST_CLOSING,
        format: DeliveryFormat.PDF,
        frequency: DeliveryFrequency.ON_EVENT,
        channel: DeliveryChannel.E_BANKING,
      }).map((p) => p.field),
    ).toEqual(['frequency']);
  });
});
