import { DEFAULT_RULE, resolvePolicy } from './change-policy.service';

describe('resolvePolicy', () => {
  it('defaults to one approval with individual signatures applying at once', () => {
    expect(resolvePolicy([DEFAULT_RULE], ['USER_CREATE'])).toEqual({
      requiredApprovals: 1,
      allowIndividualImmediate: true,
      makerStepUp: true,
    });
  });

  it('uses the rule of the kind, else the "*" rule, and the strictest across a batch', () => {
    const rules = [
      { kind: '*', requiredApprovals: 1, allowIndividualImmediate: true },
      { kind: 'CREDENTIAL_CREATE', requiredApprovals: 2, allowIndividualImmediate: false },
    ];
    expect(resolvePolicy(rules, ['USER_UPDATE'])).toEqual({ requiredApprovals: 1, allowIndividualImmediate: true, makerStepUp: false });
    expect(resolvePolicy(rules, ['USER_UPDATE', 'CREDENTIAL_CREATE'])).toEqual({
      requiredApprovals: 2,
      allowIndividualImmediate: false,
      makerStepUp: false,
    });
  });

  it("asks for the maker's strong authentication on rights changes and user creation unless the policy says otherwise", () => {
    expect(resolvePolicy([DEFAULT_RULE], ['USER_UPDATE', 'RIGHTS_COPY']).makerStepUp).toBe(true);
    expect(resolvePolicy([DEFAULT_RULE], ['AUTHORIZATION_CREATE']).makerStepUp).toBe(true);
    expect(resolvePolicy([DEFAULT_RULE], ['DELIVERY_UPDATE']).makerStepUp).toBe(false);
    const relaxed = [DEFAULT_RULE, { kind: 'RIGHTS_COPY', requiredApprovals: 1, allowIndividualImmediate: true, makerStepUp: false }];
    expect(resolvePolicy(relaxed, ['RIGHTS_COPY']).makerStepUp).toBe(false);
    const strict = [{ kind: '*', requiredApprovals: 1, allowIndividualImmediate: true, makerStepUp: true }];
    expect(resolvePolicy(strict, ['USER_UPDATE']).makerStepUp).toBe(true);
  });
});
