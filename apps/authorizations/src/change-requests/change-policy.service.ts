import { Injectable } from '@nestjs/common';
import { ChangeApplyResult, ChangeKind, ChangePolicyRuleDto, ChangePolicyView, ChangeValidation } from '@procura/contracts';
import { ValidationFailedError, flattenValidationErrors } from '@procura/errors';
import { plainToInstance, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, validate, ValidateNested } from 'class-validator';
import { ChangeRequestRepository, Tx } from './change-request.repository';

/** Without a rule: one approval from another administrator; an INDIVIDUAL signature applies at once. */
export const DEFAULT_RULE: ChangePolicyRuleDto = { kind: '*', requiredApprovals: 1, allowIndividualImmediate: true };

export interface ResolvedPolicy {
  requiredApprovals: number;
  allowIndividualImmediate: boolean;
}

class PolicyUpdatePayload {
  @ValidateNested({ each: true })
  @Type(() => ChangePolicyRuleDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  rules: ChangePolicyRuleDto[];
}

/** The strictest rule among the kinds of a request (a batch is validated as one). */
export function resolvePolicy(rules: ChangePolicyRuleDto[], kinds: string[]): ResolvedPolicy {
  const fallback = rules.find((r) => r.kind === '*') ?? DEFAULT_RULE;
  const applicable = kinds.map((kind) => rules.find((r) => r.kind === kind) ?? fallback);
  return {
    requiredApprovals: Math.max(...applicable.map((r) => r.requiredApprovals)),
    allowIndividualImmediate: applicable.every((r) => r.allowIndividualImmediate),
  };
}

/**
 * The dual-control policy of each company, per change kind. It changes only through a
 * POLICY_UPDATE change request, which always needs another administrator's approval.
 */
@Injectable()
export class ChangePolicyService {
  constructor(private readonly repository: ChangeRequestRepository) {}

  async rules(companyId: string): Promise<ChangePolicyRuleDto[]> {
    const rows = await this.repository.policies(companyId);
    const rules = rows.map((r) => ({
      kind: r.kind,
      requiredApprovals: r.requiredApprovals,
      allowIndividualImmediate: r.allowIndividualImmediate,
    }));
    return rules.some((r) => r.kind === '*') ? rules : [...rules, DEFAULT_RULE];
  }

  async view(companyId: string): Promise<ChangePolicyView> {
    return { companyId, rules: await this.rules(companyId) };
  }

  async resolve(companyId: string, kinds: ChangeKind[]): Promise<ResolvedPolicy> {
    return resolvePolicy(await this.rules(companyId), kinds);
  }

  private async version(companyId: string): Promise<number> {
    const rows = await this.repository.policies(companyId);
    return rows.reduce((max, r) => Math.max(max, r.version), 0);
  }

  async validateUpdate(companyId: string, payload: Record<string, unknown>): Promise<ChangeValidation> {
    const input = plainToInstance(PolicyUpdatePayload, payload);
    const errors = await validate(input, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) throw new ValidationFailedError(flattenValidationErrors(errors, 'payload'));
    const kinds = input.rules.map((r) => r.kind);
    if (new Set(kinds).size !== kinds.length)
      throw new ValidationFailedError([{ field: 'payload.rules', messages: ['each kind may appear once'] }]);
    const before = await this.rules(companyId);
    const after = input.rules.map((r) => ({
      kind: r.kind,
      requiredApprovals: r.requiredApprovals,
      allowIndividualImmediate: r.allowIndividualImmediate,
    }));
    return {
      summary: `Change the dual-control policy: ${after.map((r) => `${r.kind} → ${r.requiredApprovals} approval(s)${r.allowIndividualImmediate ? ', individual signature applies at once' : ''}`).join('; ')}`,
      diff: { before: { rules: before }, after: { rules: after } },
      targetType: 'change-policy',
      targetId: companyId,
      targetVersion: await this.version(companyId),
      subjectUserIds: [],
      payload: { rules: after },
    };
  }

  /** Runs inside the applier's transaction, so it commits together with the request's status. */
  async applyUpdate(tx: Tx, companyId: string, payload: Record<string, unknown>, targetVersion: number | null): Promise<ChangeApplyResult> {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, `change-policy:${companyId}`);
    const current = (await tx.changePolicy.findMany({ where: { companyId } })).reduce((max, r) => Math.max(max, r.version), 0);
    if (targetVersion !== null && current !== targetVersion) {
      return { outcome: 'STALE', reason: 'The policy changed after this request was submitted; submit it again' };
    }
    const rules = (payload.rules as ChangePolicyRuleDto[]) ?? [];
    await tx.changePolicy.deleteMany({ where: { companyId } });
    await tx.changePolicy.createMany({ data: rules.map((r) => ({ companyId, ...r, version: current + 1 })) });
    return { outcome: 'APPLIED', result: { rules } };
  }
}
