import { Injectable } from '@nestjs/common';
import {
  ApplyContext,
  ChangeDescription,
  ChangeEffect,
  ChangeHandler,
  ChangeKindHandler,
  checkVersion,
  ValidationContext,
} from '@procura/changes';
import { isChangeKind, PolicyUpdateChange } from '@procura/contracts';
import { Tx } from '@procura/database';
import { ValidationFailedError } from '@procura/errors';
import { ChangePolicyRepository } from './change-policy.repository';
import { ChangePolicyService } from './change-policy.service';

/** POLICY_UPDATE: the company's whole dual-control policy, replaced at once. */
@Injectable()
@ChangeHandler('POLICY_UPDATE')
export class PolicyUpdateHandler implements ChangeKindHandler<'POLICY_UPDATE'> {
  constructor(
    private readonly policy: ChangePolicyService,
    private readonly repository: ChangePolicyRepository,
  ) {}

  async validate(input: PolicyUpdateChange, { companyId }: ValidationContext): Promise<ChangeDescription<PolicyUpdateChange>> {
    const kinds = input.rules.map((r) => r.kind);
    const unknown = input.rules.flatMap((r, i) => (r.kind === '*' || isChangeKind(r.kind) ? [] : [i]));
    if (unknown.length)
      throw new ValidationFailedError(
        unknown.map((i) => ({ field: `rules.${i}.kind`, messages: [`${input.rules[i].kind} is not a change kind`] })),
      );
    if (new Set(kinds).size !== kinds.length)
      throw new ValidationFailedError([{ field: 'payload.rules', messages: ['each kind may appear once'] }]);
    const before = await this.policy.rules(companyId);
    const after = input.rules.map((r) => ({
      kind: r.kind,
      requiredApprovals: r.requiredApprovals,
      allowIndividualImmediate: r.allowIndividualImmediate,
      ...(r.makerStepUp !== undefined ? { makerStepUp: r.makerStepUp } : {}),
    }));
    return {
      summary: `Change the dual-control policy: ${after.map((r) => `${r.kind} → ${r.requiredApprovals} approval(s)${r.allowIndividualImmediate ? ', individual signature applies at once' : ''}${r.makerStepUp === undefined ? '' : r.makerStepUp ? ", maker's strong authentication" : ", no maker's strong authentication"}`).join('; ')}`,
      diff: { before: { rules: before }, after: { rules: after } },
      targetType: 'change-policy',
      targetId: companyId,
      targetVersion: await this.repository.version(companyId),
      subjectUserIds: [],
      plan: { rules: after },
    };
  }

  async apply(tx: Tx, plan: PolicyUpdateChange, ctx: ApplyContext): Promise<ChangeEffect> {
    await this.repository.lock(tx, ctx.companyId);
    const current = await this.repository.version(ctx.companyId, tx);
    checkVersion(ctx.targetVersion, 'policy', current);
    await this.repository.replace(tx, ctx.companyId, plan.rules, current + 1);
    return {
      result: { rules: plan.rules },
      audit: { action: 'CHANGE_POLICY_UPDATED', targetType: 'change-policy', targetId: ctx.companyId, after: { rules: plan.rules } },
    };
  }
}
