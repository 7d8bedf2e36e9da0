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

  /**
   * A nominative e-mail no other person uses (`exceptPersonId`: the person whose e-mail it may
   * already be). The e-mail identifies a person across every company.
   */
  async checkEmail(
    email: string,
    field: string,
    exceptPersonId?: string,
    tx?: Tx,
    planned: PlannedEntities = PlannedEntities.none,
  ): Promise<string> {
    const normalised = checkNominative(email, field);
    const owner = (await this.users.personByEmail(normalised, tx)) ?? planned.ofType('user').find((u) => u.data.email === normalised);
    if (owner && owner.id !== exceptPersonId) {
      throw new ConflictError('EMAIL_ALREADY_USED', 'This e-mail already identifies another person on the platform');
    }
    return normalised;
  }

  /**
   * Seed 003 "accès aux dossiers": the person an administrator (or operator) of this company
   * names to give them a membership here. The e-mail, names and birth date must all be those
   * of one of the person's memberships, so knowing an e-mail is not enough to draw somebody
   * into a company; a mismatch and an unknown e-mail get the same answer.
   */
  async personToLink(
    companyId: string,
    identity: { email: string; lastName: string; firstName: string; birthDate: string },
    tx?: Tx,
  ): Promise<{ personId: string; email: string }> {
    const email = checkNominative(identity.email, 'email');
    const person = await this.users.personByEmail(email, tx);
    const memberships = person ? await this.users.memberships(person.id, tx) : [];
    const same = (a: string, b: string) => a.trim().localeCompare(b.trim(), 'fr', { sensitivity: 'base' }) === 0;
    const matches = memberships.some(
      (m) =>
        same(m.lastName, identity.lastName) &&
        same(m.firstName, identity.firstName) &&
        m.birthDate.toISOString().slice(0, 10) === identity.birthDate,
    );
    if (!person || !matches) {
      throw new RuleViolationError('PERSON_NOT_FOUND', 'No person with this e-mail, names and birth date is a user of another company', [
        { field: 'email', messages: ['email, names and birth date must be those of a person already registered'] },
      ]);
    }
    if ((await this.users.countMembershipIn(person.id, companyId, tx)) > 0) {
      throw new ConflictError('ALREADY_A_USER', 'This person is already a user of this company');
    }
    return { personId: person.id, email };
  }

  /** A person for a new user: the e-mail is checked again inside the transaction that creates them. */
  async newPerson(tx: Tx, email: string): Promise<{ personId: string; email: string }> {
    const normalised = await this.checkEmail(email, 'email', undefined, tx);
    return { personId: await this.users.createPerson(tx, normalised), email: normalised };
  }

  /**
   * A membership's e-mail changes: the person keeps it when this is their only membership;
   * otherwise this company now names somebody else, and the membership moves to a new person
   * (another company's membership is never changed from here, nor is it revealed).
   */
  async personWithNewEmail(tx: Tx, user: User, email: string): Promise<string> {
    if ((await this.users.countMemberships(user.personId, tx)) > 1) return this.users.createPerson(tx, email);
    await this.users.setPersonEmail(tx, user.personId, email);
    return user.personId;
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

function checkNominative(email: string, field: string): string {
  const normalised = normaliseEmail(email);
  if (!isNominativeEmail(normalised)) {
    throw new RuleViolationError(
      'EMAIL_NOT_NOMINATIVE',
      'The e-mail must be personal (nominative): generic mailboxes such as contact@, info@, admin@ or compta@ are refused',
      [{ field, messages: [`${field} must be a personal address, not a shared mailbox`] }],
    );
  }
  return normalised;
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
