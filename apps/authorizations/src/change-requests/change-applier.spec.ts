import { aggregateOutcome } from './change-applier';

const items = (...kinds: string[]) => kinds.map((kind, position) => ({ kind, position }));

describe('aggregateOutcome', () => {
  it('is APPLIED only when every item applied', () => {
    expect(aggregateOutcome(items('USER_UPDATE', 'USER_UPDATE'), [{ outcome: 'APPLIED' }, { outcome: 'APPLIED' }])).toEqual({
      status: 'APPLIED',
      outcomes: [
        { outcome: 'APPLIED', reason: null },
        { outcome: 'APPLIED', reason: null },
      ],
    });
  });

  it('takes the status of the first item that did not apply, names it, and marks the ones after it NOT_APPLIED', () => {
    expect(
      aggregateOutcome(items('USER_CREATE', 'RIGHTS_TEMPLATE', 'CREDENTIAL_CREATE'), [
        { outcome: 'APPLIED' },
        { outcome: 'STALE', reason: 'user changed' },
      ]),
    ).toEqual({
      status: 'STALE',
      reason: 'Item 2 of 3 (RIGHTS_TEMPLATE) STALE: user changed',
      outcomes: [
        { outcome: 'APPLIED', reason: null },
        { outcome: 'STALE', reason: 'user changed' },
        { outcome: 'NOT_APPLIED', reason: null },
      ],
    });
  });

  it("keeps a single item's reason as it is", () => {
    expect(aggregateOutcome(items('USER_SUSPEND'), [{ outcome: 'FAILED', reason: 'last administrator' }])).toEqual({
      status: 'FAILED',
      reason: 'last administrator',
      outcomes: [{ outcome: 'FAILED', reason: 'last administrator' }],
    });
  });
});
