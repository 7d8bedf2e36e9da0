import { Injectable } from '@nestjs/common';
import { Actor, IdentityCommands } from '@procura/contracts';
import { ForbiddenError, NotFoundError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';

/**
 * Who may see a company's change requests and audit trail: its own administrators, and
 * the operator who manages it. Anyone else gets 404, so existence never leaks.
 */
@Injectable()
export class CompanyAccess {
  constructor(private readonly bus: CommandBus) {}

  async assertAdministratorOrOperator(actor: Actor, companyId: string, what: string): Promise<void> {
    if (actor.kind === 'user') {
      if (actor.companyId !== companyId) throw new NotFoundError(what);
      if (actor.clientType !== 'ADMINISTRATOR') throw new ForbiddenError('Only administrators of the company may do this');
      return;
    }
    if (actor.kind === 'operator') {
      // Answers 404 when the operator does not manage the company.
      await this.bus.execute(IdentityCommands.getCompany, { companyId }, { actor }).catch((error: unknown) => {
        if (error instanceof NotFoundError || (error as { status?: number }).status === 404) throw new NotFoundError(what);
        throw error;
      });
      return;
    }
    throw new NotFoundError(what);
  }

  /** A company user acting inside their own company; anything else is 404. */
  requireCompanyUser(actor: Actor, companyId: string, what: string): Extract<Actor, { kind: 'user' }> {
    if (actor.kind !== 'user' || actor.companyId !== companyId) throw new NotFoundError(what);
    return actor;
  }
}
