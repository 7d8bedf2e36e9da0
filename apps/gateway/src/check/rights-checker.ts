import { Injectable } from '@nestjs/common';
import { Actor, CheckAnswer, CheckQuestionDto, EffectiveRightsView } from '@procura/contracts';
import { effectiveRightsView, evaluate, instant } from '@procura/rights';
import { CompiledRightsCache } from './compiled-rights.cache';
import { RightsAccess } from './rights-access';

/**
 * The check and effective rights, answered in the gateway from its copies of the
 * compiled rights, with the same rules, answers and errors as the authorizations service
 * (RightsService), and no RPC while the copies are current.
 */
@Injectable()
export class RightsChecker {
  constructor(
    private readonly cache: CompiledRightsCache,
    private readonly access: RightsAccess,
  ) {}

  async check(actor: Actor, q: CheckQuestionDto): Promise<CheckAnswer> {
    return (await this.checkBatch(actor, [q]))[0];
  }

  async checkBatch(actor: Actor, questions: CheckQuestionDto[]): Promise<CheckAnswer[]> {
    const ats = questions.map((q, i) => instant(q.at, `questions.${i}.at`));
    const { rights, catalog } = await this.cache.rightsOf(questions.map((q) => q.userId));
    const allowedCompanies = new Set<string>();
    for (const q of questions) await this.access.visible(actor, rights.get(q.userId) ?? null, allowedCompanies);
    return questions.map((q, i) => evaluate(rights.get(q.userId)!, q, ats[i], catalog));
  }

  async effectiveRights(actor: Actor, userId: string, at: string | undefined): Promise<EffectiveRightsView> {
    const when = instant(at);
    const { rights } = await this.cache.rightsOf([userId]);
    return effectiveRightsView(userId, await this.access.visible(actor, rights.get(userId) ?? null, new Set()), when);
  }
}
