import { aggregateOutcome } from './change-applier';

describe('aggregateOutcome', () => {
  it('is APPLIED only when every item applied', () => {
    expect(aggregateOutcome([{ outcome: 'APPLIED' }, { outcome: 'APPLIED' }])).toEqual({ status: 'APPLIED' });
  });

  it('takes the status and reason of the first item that did not apply', () => {
    expect(
      aggregateOutcome([{ outcome: 'APPLIED' }, { outcome: 'STALE', reason: 'user changed' }, { outcome: 'FAILED', reason: 'x' }]),
    ).toEqual({
      status: 'STALE',
      reason: 'user changed',
    });
    expect(aggregateOutcome([{ outcome: 'FAILED', reason: 'last administrator' }])).toEqual({
      status: 'FAILED',
      reason: 'last administrator',
    });
  });
});
