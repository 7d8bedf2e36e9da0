import { Injectable } from '@nestjs/common';
import { Actor } from '@procura/contracts';
import { Company, User } from '@procura/database';
import { ForbiddenError, NotFoundError } from '@procura/errors';
import { OperatorsRepository } from '../operators/operators.repository';
import { UsersRepository } from './users.repository';

/**
 * Who may see or act on what. Anything outside the actor's reach answers 404, exactly
 * like something that does not exist: existence never leaks across companies.
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly users: UsersRepository,
    private readonly operators: OperatorsRepository,
  ) {}

  async company(actor: Actor, companyId: string): Promise<Company> {
    const company = await this.users.findCompany(companyId);
    if (!company) throw new NotFoundError('Company');
    if (actor.kind === 'operator' && (await this.operators.reaches(actor.operatorId, company.id))) return company;
    if (actor.kind === 'user' && actor.companyId === companyId) return company;
    throw new NotFoundError('Company');
  }

  /** A company the actor administers (operator managing it, or one of its administrators). */
  async administeredCompany(actor: Actor, companyId: string): Promise<Company> {
    const company = await this.company(actor, companyId);
    if (actor.kind === 'user' && actor.clientType !== 'ADMINISTRATOR') throw new ForbiddenError('Only administrators may do this');
    return company;
  }

  /** A user the actor may read: operators of the company, its administrators, or the user themselves. */
  async user(actor: Actor, userId: string, opts: { allowSelf?: boolean } = { allowSelf: true }): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user || user.status === 'DELETED') throw new NotFoundError('User');
    if (actor.kind === 'operator') {
      if (await this.operators.reaches(actor.operatorId, user.companyId)) return user;
      throw new NotFoundError('User');
    }
    if (actor.kind === 'user' && actor.companyId === user.companyId) {
      if (actor.clientType === 'ADMINISTRATOR') return user;
      if (opts.allowSelf && actor.userId === user.id) return user;
    }
    throw new NotFoundError('User');
  }

  /** A user the actor administers (not merely reads). */
  async administeredUser(actor: Actor, userId: string): Promise<User> {
    return this.user(actor, userId, { allowSelf: false });
  }
}
