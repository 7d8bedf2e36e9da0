import { Injectable } from '@nestjs/common';
import { PlannedEntities } from '@procura/changes';
import { Tx, User } from '@procura/database';
import { ConflictError, NotFoundError, RuleViolationError } from '@procura/errors';
import { IdentityEvents } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { isNominativeEmail, isPastDate, normaliseEmail } from './user-rules';
import { UsersRepository } from './users.repository';

const fullName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName}`;

/** Rules shared by the user change kinds. */
@Injectable()
export class UserChangeRules {
  constructor(
    readonly users: UsersRepository,
    readonly events: IdentityEvents,
    readonly clock: Clock,
  ) {}

  /**
   * A user of this company; another company's user is "not found", never "forbidden".
   * While validating, a user that an earlier item of the same request registers counts too.
   */
  async userOf(companyId: string, userId: string, tx?: Tx, planned: PlannedEntities = PlannedEntities.none): Promise<User> {
    const user = (await this.users.findById(userId, tx)) ?? plannedUser(planned, companyId, userId);
    if (!user || user.companyId !== companyId || user.status === 'DELETED') throw new NotFoundError('User');
    return user;
  }

  async checkEmail(
    email: string,
    field: string,
    exceptUserId?: string,
    tx?: Tx,
    planned: PlannedEntities = PlannedEntities.none,
  ): Promise<string> {
    const normalised = normaliseEmail(email);
    if (!isNominativeEmail(normalised)) {
      throw new RuleViolationError(
        'EMAIL_NOT_NOMINATIVE',
        'The e-mail must be personal (nominative): generic mailboxes such as contact@, info@, admin@ or compta@ are refused',
        [{ field, messages: [`${field} must be a personal address, not a shared mailbox`] }],
      );
    }
    const owner = (await this.users.emailOwner(normalised, tx)) ?? planned.ofType('user').find((u) => u.data.email === normalised);
    if (owner && owner.id !== exceptUserId) {
      throw new ConflictError('EMAIL_ALREADY_USED', 'This e-mail already identifies another person on the platform');
    }
    return normalised;
  }

  checkBirthDate(birthDate: string): void {
    if (!isPastDate(birthDate, this.clock.now())) {
      throw new RuleViolationError('INVALID_BIRTH_DATE', 'The birth date must be a real date in the past', [
        { field: 'birthDate', messages: ['birthDate must be a real past date'] },
      ]);
    }
  }

  /** Seed 003: a company always keeps at least one active administrator. */
  async keepsAnAdministrator(companyId: string, leaving: User, what: string, tx?: Tx): Promise<void> {
    if (leaving.status !== 'ACTIVE' || leaving.clientType !== 'ADMINISTRATOR') return;
    const others = await this.users.countActiveAdministrators(companyId, leaving.id, tx);
    if (others === 0) {
      throw new RuleViolationError(
        'LAST_ADMINISTRATOR',
        `${fullName(leaving)} is the last active administrator of the company: ${what} would leave it without one`,
      );
    }
  }

  /** The authorizations service keeps a copy of the user's status and credentials: sent when they change. */
  async afterChange(tx: Tx, user: User): Promise<void> {
    await this.events.principal(tx, user.id);
  }
}

/** A user an earlier item of the request registers, as the rules see a user (not stored yet). */
function plannedUser(planned: PlannedEntities, companyId: string, userId: string): User | null {
  const p = planned.user(companyId, userId);
  if (!p) return null;
  const now = new Date();
  return {
    id: p.id,
    companyId,
    lastName: p.lastName,
    firstName: p.firstName,
    birthDate: now,
    email: p.email,
    phone: p.phone,
    clientType: p.clientType,
    adminSignature: p.adminSignature,
    status: p.status,
    activationMode: p.status === 'ACTIVE' ? 'IMMEDIATE' : 'DEFERRED',
    language: p.language,
    version: 0,
    createdAt: now,
    updatedAt: now,
  } as unknown as User;
}
