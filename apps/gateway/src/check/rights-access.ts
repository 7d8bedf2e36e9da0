import { Injectable } from '@nestjs/common';
import { Actor } from '@procura/contracts';
import { NotFoundError } from '@procura/errors';
import { CommandBus, OperatorScope } from '@procura/messaging';
import { CompiledRights } from '@procura/rights';

/**
 * Who may read a user's rights and check them: any user of the same company, and the
 * operator who manages it; anyone else is answered 404 (a user's existence never leaks).
 * The same rule as the authorizations service applies (CompanyAccessService, 'member'):
 * the company comes with the compiled rights, and whether an operator manages a company
 * is asked to identity and remembered briefly (60 s; 5 s for "does not manage").
 */
@Injectable()
export class RightsAccess {
  private readonly operators: OperatorScope;

  constructor(bus: CommandBus) {
    this.operators = new OperatorScope(bus);
  }

  /** The user's rights if the actor may see them; 404 otherwise. `allowed` remembers companies already cleared in this request. */
  async visible(actor: Actor, rights: CompiledRights | null, allowed: Set<string>): Promise<CompiledRights> {
    if (!rights) throw new NotFoundError('User');
    if (!allowed.has(rights.companyId)) {
      await this.assertMember(actor, rights.companyId);
      allowed.add(rights.companyId);
    }
    return rights;
  }

  private async assertMember(actor: Actor, companyId: string): Promise<void> {
    if (actor.kind === 'user') {
      if (actor.companyId !== companyId) throw new NotFoundError('User');
      return;
    }
    if (actor.kind === 'operator' && (await this.operators.manages(actor.operatorId, companyId))) return;
    if (actor.kind === 'system') return;
    throw new NotFoundError('User');
  }
}
