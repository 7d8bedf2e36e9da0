import { Injectable } from '@nestjs/common';
import { ChangeKind, ChangePolicyRuleDto, ChangePolicyView } from '@procura/contracts';
import { ChangePolicyRepository } from './change-policy.repository';

/** Without a rule: one approval from another administrator; an INDIVIDUAL signature applies at once. */
export const DEFAULT_RULE: ChangePolicyRuleDto = { kind: '*', requiredApprovals: 1, allowIndividualImmediate: true };

/** Seed 001 ("validez votre opération avec Sécur'Pass"): without a policy saying otherwise, rights changes and user creation need it. */
const MAKER_STEP_UP_BY_DEFAULT: ReadonlySet<string> = new Set<ChangeKind>([
  'USER_CREATE',
  'ADMIN_SIGNATURE_SET',
  'AUTHORIZATION_CREATE',
  'AUTHORIZATION_UPDATE',
  'AUTHORIZATION_DELETE',
  'AUTHORIZATION_ASSIGN',
  'RIGHTS_TEMPLATE',
  'RIGHTS_COPY',
  'RIGHTS_AUTHORIZE_ALL',
]);

export interface ResolvedPolicy {
  requiredApprovals: number;
  allowIndividualImmediate: boolean;
  /** Submitting needs the maker's fresh strong authentication. */
  makerStepUp: boolean;
}

/** The strictest rule among the kinds of a request (a batch is validated as one). */
export function resolvePolicy(rules: ChangePolicyRuleDto[], kinds: string[]): ResolvedPolicy {
  const fallback = rules.find((r) => r.kind === '*') ?? DEFAULT_RULE;
  const applicable = kinds.map((kind) => rules.find((r) => r.kind === kind) ?? fallback);
  return {
    requiredApprovals: Math.max(...applicable.map((r) => r.requiredApprovals)),
    allowIndividualImmediate: applicable.every((r) => r.allowIndividualImmediate),
    makerStepUp: applicable.some((r, i) => r.makerStepUp ?? MAKER_STEP_UP_BY_DEFAULT.has(kinds[i])),
  };
}

/**
 * The dual-control policy of each company, per change kind. It changes only through a
 * POLICY_UPDATE change request (PolicyUpdateHandler), which always needs another
 * administrator's approval (declared with the kind).
 */
@Injectable()
export class ChangePolicyService {
  constructor(private readonly repository: ChangePolicyRepository) {}

  async rules(companyId: string): Promise<ChangePolicyRuleDto[]> {
    const rows = await this.repository.policies(companyId);
    const rules = rows.map((r) => ({
      kind: r.kind,
      requiredApprovals: r.requiredApprovals,
      allowIndividualImmediate: r.allowIndividualImmediate,
      ...(r.makerStepUp !== null ? { makerStepUp: r.makerStepUp } : {}),
    }));
    return rules.some((r) => r.kind === '*') ? rules : [...rules, DEFAULT_RULE];
  }

  async view(companyId: string): Promise<ChangePolicyView> {
    return { companyId, rules: await this.rules(companyId) };
  }

  async resolve(companyId: string, kinds: ChangeKind[]): Promise<ResolvedPolicy> {
    return resolvePolicy(await this.rules(companyId), kinds);
  }
}
