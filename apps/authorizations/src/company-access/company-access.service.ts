import { Injectable } from '@nestjs/common';
import { Actor } from '@procura/contracts';
import { ForbiddenError, NotFoundError } from '@procura/errors';
import { CommandBus, OperatorScope } from '@procura/messaging';

export type AccessLevel = 'member' | 'administrator';

/**
 * Who may read or act on a company's rights: its own users (administrators for most
 * things), and the operator who manages it. Anyone else is answered 404, so a company's
 * existence never leaks. Whether an operator manages a company is asked to identity and
 * remembered briefly: the check is the hot path and management rarely changes.
 */
@Injectable()
export class CompanyAccessService {
  private readonly operators: OperatorScope;

  constructor(bus: CommandBus) {
    this.operators = new OperatorScope(bus);
  }

  async assert(actor: Actor, companyId: string, level: AccessLevel, what: string): Promise<void> {
    if (actor.kind === 'user') {
      if (actor.companyId !== companyId) throw new NotFoundError(what);
      if (level === 'administrator' && actor.clientType !== 'ADMINISTRATOR')
        throw new ForbiddenError('Only administrators of the company may do this');
      return;
    }
    if (actor.kind === 'operator' && (await this.operators.manages(actor.operatorId, companyId))) return;
    if (actor.kind === 'system') return;
    throw new NotFoundError(what);
  }

  async assertOperator(actor: Actor, companyId: string, what: string): Promise<void> {
    if (actor.kind !== 'operator') throw new ForbiddenError('Only operators may do this');
    if (!(await this.operators.manages(actor.operatorId, companyId))) throw new NotFoundError(what);
  }
}
