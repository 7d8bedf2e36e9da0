import { Injectable } from '@nestjs/common';
import {
  AdminSignature,
  AdminSignatureChange,
  ActivationMode,
  ChangeKind,
  ChangeValidation,
  ClientType,
  UserCreateChange,
  UserStatus,
  UserTargetChange,
  UserUpdateChange,
} from '@procura/contracts';
import { Prisma, User } from '@procura/database';
import { ConflictError, NotFoundError, RuleViolationError } from '@procura/errors';
import { randomUUID } from 'node:crypto';
import { Tx } from '../companies/companies.repository';
import { SessionRevoker } from '../auth/session-revoker';
import { IdentityEvents } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { isNominativeEmail, isPastDate, normaliseEmail } from '../users/user-rules';
import { toUserView, userSnapshot } from '../users/user-views';
import { UsersRepository } from '../users/users.repository';
import { AppliedChange, ApplyContext, ChangeKindHandler, checkVersion, compact } from './change-kind';

const fullName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName}`;

/** Rules shared by the user change kinds. */
@Injectable()
export class UserChangeRules {
  constructor(
    readonly users: UsersRepository,
    readonly events: IdentityEvents,
    readonly clock: Clock,
    readonly sessions: SessionRevoker,
  ) {}

  /** A user of this company; another company's user is "not found", never "forbidden". */
  async userOf(companyId: string, userId: string, tx?: Tx): Promise<User> {
    const user = await this.users.findById(userId, tx);
    if (!user || user.companyId !== companyId || user.status === 'DELETED') throw new NotFoundError('User');
    return user;
  }

  async checkEmail(email: string, field: string, exceptUserId?: string, tx?: Tx): Promise<string> {
    const normalised = normaliseEmail(email);
    if (!isNominativeEmail(normalised)) {
      throw new RuleViolationError(
        'EMAIL_NOT_NOMINATIVE',
        'The e-mail must be personal (nominative): generic mailboxes such as contact@, info@, admin@ or compta@ are refused',
        [{ field, messages: [`${field} must be a personal address, not a shared mailbox`] }],
      );
    }
    const owner = await this.users.emailOwner(normalised, tx);
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

  async afterChange(tx: Tx, user: User): Promise<void> {
    await this.events.principal(tx, user.id);
  }
}

@Injectable()
export class UserCreateHandler implements ChangeKindHandler<UserCreateChange> {
  readonly kind: ChangeKind = 'USER_CREATE';
  readonly payloadType = UserCreateChange;

  constructor(private readonly rules: UserChangeRules) {}

  async validate(companyId: string, payload: UserCreateChange): Promise<ChangeValidation> {
    if (!(await this.rules.users.findCompany(companyId))) throw new NotFoundError('Company');
    const email = await this.rules.checkEmail(payload.email, 'email');
    this.rules.checkBirthDate(payload.birthDate);
    const adminSignature = payload.adminSignature ?? AdminSignature.NONE;
    if (payload.clientType !== ClientType.ADMINISTRATOR && adminSignature !== AdminSignature.NONE) {
      throw new RuleViolationError('ADMIN_SIGNATURE_REQUIRES_ADMINISTRATOR', 'Only an administrator can have an admin signature', [
        { field: 'adminSignature', messages: ['adminSignature must be NONE for a STANDARD user'] },
      ]);
    }
    const normalised = compact({
      ...payload,
      email,
      lastName: payload.lastName.trim(),
      firstName: payload.firstName.trim(),
      adminSignature,
      activationMode: payload.activationMode ?? ActivationMode.IMMEDIATE,
      language: payload.language ?? 'fr',
    });
    return {
      summary: `Create user ${payload.firstName} ${payload.lastName} (${email}) as ${payload.clientType}, activation ${normalised.activationMode}`,
      diff: { before: null, after: normalised },
      targetType: 'user',
      subjectUserIds: [],
      payload: normalised,
    };
  }

  async apply(tx: Tx, payload: UserCreateChange, ctx: ApplyContext): Promise<AppliedChange> {
    await this.rules.users.lockCompany(tx, ctx.companyId);
    const email = await this.rules.checkEmail(payload.email, 'email', undefined, tx);
    const deferred = payload.activationMode === ActivationMode.DEFERRED;
    const user = await this.rules.users.create(tx, {
      id: randomUUID(),
      companyId: ctx.companyId,
      lastName: payload.lastName,
      firstName: payload.firstName,
      birthDate: new Date(`${payload.birthDate}T00:00:00Z`),
      email,
      phone: payload.phone ?? null,
      clientType: payload.clientType,
      adminSignature: payload.adminSignature ?? AdminSignature.NONE,
      activationMode: payload.activationMode ?? ActivationMode.IMMEDIATE,
      status: deferred ? UserStatus.REGISTERED : UserStatus.ACTIVE,
      language: payload.language ?? 'fr',
    });
    await this.rules.afterChange(tx, user);
    return {
      result: { user: toUserView(user) },
      audit: { action: 'user.created', targetType: 'user', targetId: user.id, before: null, after: userSnapshot(user) },
    };
  }
}

@Injectable()
export class UserUpdateHandler implements ChangeKindHandler<UserUpdateChange> {
  readonly kind: ChangeKind = 'USER_UPDATE';
  readonly payloadType = UserUpdateChange;

  constructor(private readonly rules: UserChangeRules) {}

  private async changes(companyId: string, user: User, payload: UserUpdateChange, tx?: Tx): Promise<Record<string, unknown>> {
    const changes: Record<string, unknown> = {};
    if (payload.lastName !== undefined && payload.lastName.trim() !== user.lastName) changes.lastName = payload.lastName.trim();
    if (payload.firstName !== undefined && payload.firstName.trim() !== user.firstName) changes.firstName = payload.firstName.trim();
    if (payload.birthDate !== undefined && payload.birthDate !== user.birthDate.toISOString().slice(0, 10)) {
      this.rules.checkBirthDate(payload.birthDate);
      changes.birthDate = payload.birthDate;
    }
    if (payload.email !== undefined && normaliseEmail(payload.email) !== user.email)
      changes.email = await this.rules.checkEmail(payload.email, 'email', user.id, tx);
    if (payload.phone !== undefined && payload.phone !== user.phone) changes.phone = payload.phone;
    if (payload.language !== undefined && payload.language !== user.language) changes.language = payload.language;
    if (payload.clientType !== undefined && payload.clientType !== user.clientType) {
      changes.clientType = payload.clientType;
      if (payload.clientType === ClientType.STANDARD) {
        await this.rules.keepsAnAdministrator(companyId, user, 'removing the administrator role', tx);
        if (user.adminSignature !== AdminSignature.NONE) changes.adminSignature = AdminSignature.NONE;
      }
    }
    return changes;
  }

  async validate(companyId: string, payload: UserUpdateChange): Promise<ChangeValidation> {
    const user = await this.rules.userOf(companyId, payload.userId);
    const changes = await this.changes(companyId, user, payload);
    if (Object.keys(changes).length === 0) throw new RuleViolationError('NOTHING_TO_CHANGE', 'The request changes nothing');
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, userSnapshot(user)[k] ?? null]));
    return {
      summary: `Edit user ${fullName(user)}: ${Object.keys(changes).join(', ')}`,
      diff: { before, after: changes },
      targetType: 'user',
      targetId: user.id,
      targetVersion: user.version,
      subjectUserIds: [user.id],
      payload: compact({ ...payload, ...changes, adminSignature: undefined }),
    };
  }

  async apply(tx: Tx, payload: UserUpdateChange, ctx: ApplyContext): Promise<AppliedChange> {
    await this.rules.users.lockCompany(tx, ctx.companyId);
    const user = await this.rules.userOf(ctx.companyId, payload.userId, tx);
    checkVersion(ctx, 'user', user.version);
    const changes = await this.changes(ctx.companyId, user, payload, tx);
    const data: Prisma.UserUncheckedUpdateInput = { ...changes } as Prisma.UserUncheckedUpdateInput;
    if (typeof changes.birthDate === 'string') data.birthDate = new Date(`${changes.birthDate}T00:00:00Z`);
    const updated = await this.rules.users.update(tx, user.id, data);
    await this.rules.afterChange(tx, updated);
    return {
      result: { user: toUserView(updated) },
      audit: { action: 'user.updated', targetType: 'user', targetId: user.id, before: userSnapshot(user), after: userSnapshot(updated) },
    };
  }
}

interface StatusTransition {
  kind: ChangeKind;
  from: UserStatus[];
  to: UserStatus;
  verb: string;
  action: string;
  /** Losing an active administrator this way is subject to the last-administrator rule. */
  guardsLastAdministrator: boolean;
  endsAccess: boolean;
}

@Injectable()
abstract class UserStatusHandler implements ChangeKindHandler<UserTargetChange> {
  abstract readonly transition: StatusTransition;
  readonly payloadType = UserTargetChange;

  constructor(protected readonly rules: UserChangeRules) {}

  get kind(): ChangeKind {
    return this.transition.kind;
  }

  private async check(companyId: string, user: User, tx?: Tx): Promise<void> {
    const t = this.transition;
    if (!t.from.includes(user.status as UserStatus)) {
      throw new RuleViolationError('INVALID_USER_STATUS', `Cannot ${t.verb} ${fullName(user)}: the user is ${user.status}`);
    }
    if (t.guardsLastAdministrator)
      await this.rules.keepsAnAdministrator(companyId, user, `${t.verb === 'delete' ? 'deleting' : 'suspending'} them`, tx);
  }

  async validate(companyId: string, payload: UserTargetChange): Promise<ChangeValidation> {
    const user = await this.rules.userOf(companyId, payload.userId);
    await this.check(companyId, user);
    return {
      summary: `${this.transition.verb[0].toUpperCase()}${this.transition.verb.slice(1)} user ${fullName(user)} (${user.email})`,
      diff: { before: { status: user.status }, after: { status: this.transition.to } },
      targetType: 'user',
      targetId: user.id,
      targetVersion: user.version,
      subjectUserIds: [user.id],
      payload: { userId: user.id },
    };
  }

  async apply(tx: Tx, payload: UserTargetChange, ctx: ApplyContext): Promise<AppliedChange> {
    await this.rules.users.lockCompany(tx, ctx.companyId);
    const user = await this.rules.userOf(ctx.companyId, payload.userId, tx);
    checkVersion(ctx, 'user', user.version);
    await this.check(ctx.companyId, user, tx);
    if (this.transition.to === UserStatus.DELETED) {
      await tx.credential.updateMany({
        where: { userId: user.id, status: 'ACTIVE' },
        data: { status: 'REVOKED', revokedAt: this.rules.clock.now(), version: { increment: 1 } },
      });
    }
    const updated = await this.rules.users.update(tx, user.id, { status: this.transition.to });
    await this.rules.afterChange(tx, updated);
    const ended = this.transition.endsAccess ? await this.rules.sessions.revokeInTx(tx, { userId: user.id }, this.transition.action) : [];
    return {
      result: { user: toUserView(updated) },
      audit: {
        action: this.transition.action,
        targetType: 'user',
        targetId: user.id,
        before: { status: user.status },
        after: { status: updated.status },
      },
      afterCommit: () => this.rules.sessions.publish(ended),
    };
  }
}

@Injectable()
export class UserActivateHandler extends UserStatusHandler {
  readonly transition: StatusTransition = {
    kind: 'USER_ACTIVATE',
    from: [UserStatus.REGISTERED],
    to: UserStatus.ACTIVE,
    verb: 'activate',
    action: 'user.activated',
    guardsLastAdministrator: false,
    endsAccess: false,
  };
}

@Injectable()
export class UserSuspendHandler extends UserStatusHandler {
  readonly transition: StatusTransition = {
    kind: 'USER_SUSPEND',
    from: [UserStatus.ACTIVE],
    to: UserStatus.SUSPENDED,
    verb: 'suspend',
    action: 'user.suspended',
    guardsLastAdministrator: true,
    endsAccess: true,
  };
}

@Injectable()
export class UserReactivateHandler extends UserStatusHandler {
  readonly transition: StatusTransition = {
    kind: 'USER_REACTIVATE',
    from: [UserStatus.SUSPENDED],
    to: UserStatus.ACTIVE,
    verb: 'reactivate',
    action: 'user.reactivated',
    guardsLastAdministrator: false,
    endsAccess: false,
  };
}

@Injectable()
export class UserDeleteHandler extends UserStatusHandler {
  readonly transition: StatusTransition = {
    kind: 'USER_DELETE',
    from: [UserStatus.REGISTERED, UserStatus.ACTIVE, UserStatus.SUSPENDED],
    to: UserStatus.DELETED,
    verb: 'delete',
    action: 'user.deleted',
    guardsLastAdministrator: true,
    endsAccess: true,
  };
}

@Injectable()
export class AdminSignatureSetHandler implements ChangeKindHandler<AdminSignatureChange> {
  readonly kind: ChangeKind = 'ADMIN_SIGNATURE_SET';
  readonly payloadType = AdminSignatureChange;

  constructor(private readonly rules: UserChangeRules) {}

  private check(user: User, payload: AdminSignatureChange): void {
    if (user.clientType !== ClientType.ADMINISTRATOR && payload.adminSignature !== AdminSignature.NONE) {
      throw new RuleViolationError(
        'ADMIN_SIGNATURE_REQUIRES_ADMINISTRATOR',
        `${fullName(user)} is not an administrator: only NONE is possible`,
        [{ field: 'adminSignature', messages: ['adminSignature must be NONE for a STANDARD user'] }],
      );
    }
    if (user.adminSignature === payload.adminSignature)
      throw new RuleViolationError('NOTHING_TO_CHANGE', `${fullName(user)} already has the ${payload.adminSignature} signature`);
  }

  async validate(companyId: string, payload: AdminSignatureChange): Promise<ChangeValidation> {
    const user = await this.rules.userOf(companyId, payload.userId);
    this.check(user, payload);
    return {
      summary: `Set the admin signature of ${fullName(user)} to ${payload.adminSignature} (was ${user.adminSignature})`,
      diff: { before: { adminSignature: user.adminSignature }, after: { adminSignature: payload.adminSignature } },
      targetType: 'user',
      targetId: user.id,
      targetVersion: user.version,
      subjectUserIds: [user.id],
      payload: { userId: user.id, adminSignature: payload.adminSignature },
    };
  }

  async apply(tx: Tx, payload: AdminSignatureChange, ctx: ApplyContext): Promise<AppliedChange> {
    await this.rules.users.lockCompany(tx, ctx.companyId);
    const user = await this.rules.userOf(ctx.companyId, payload.userId, tx);
    checkVersion(ctx, 'user', user.version);
    this.check(user, payload);
    const updated = await this.rules.users.update(tx, user.id, { adminSignature: payload.adminSignature });
    await this.rules.afterChange(tx, updated);
    return {
      result: { user: toUserView(updated) },
      audit: {
        action: 'user.admin-signature-set',
        targetType: 'user',
        targetId: user.id,
        before: { adminSignature: user.adminSignature },
        after: { adminSignature: updated.adminSignature },
      },
    };
  }
}
