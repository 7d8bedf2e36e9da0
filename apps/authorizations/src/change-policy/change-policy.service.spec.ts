import { DEFAULT_RULE, resolvePolicy } from './change-policy.service';

describe('resolvePolicy', () => {
  it('defaults to one approval with individual signatures applying at once', () => {
    expect(resolvePolicy([DEFAULT_RULE], ['USER_CREATE'])).toEqual({ requiredApprovals: 1, allowIndividualImmediate: true });
  });

  it('uses the rule of the kind, else the "*" rule, and the strictest across a batch', () => {
    const rules = [
      { kind: '*', requiredApprovals: 1, allowIndividualImmediate: true },
      { kind: 'CREDENTIAL_CREATE', requiredApprovals: 2, allowIndividualImmediate: false },
    ];
    expect(resolvePolicy(rules, ['USER_UPDATE'])).toEqual({ requiredApprovals: 1, allowIndividualImmediate: true });
    expect(resolvePolicy(rules, ['USER_UPDATE', 'CREDENTIAL_CREATE'])).toEqual({ requiredApprovals: 2, allowIndividualImmediate: false });
  });
});
