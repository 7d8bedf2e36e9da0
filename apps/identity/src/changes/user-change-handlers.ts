import { Injectable } from '@nestjs/common';
import {
  AdminSignature,
  AdminSignatureChange,
  ActivationMode,
  ChangeKind,
  ClientType,
  UserCreateChange,
  UserStatus,
  UserTargetChange,
  UserUpdateChange,
} from '@procura/contracts';
import {
  ApplyContext,
  ChangeDescription,
  ChangeEffect,
  ChangeHandler,
  ChangeKindHandler,
  checkVersion,
  compact,
  ValidationContext,
} from '@procura/changes';
import { Prisma, Tx, User } from '@procura/database';
import { NotFoundError, RuleViolationError } from '@procura/errors';
import { SessionRevoker } from '../auth/session-revoker';
import { awaitsActivation, CredentialIssuer } from '../credentials/credential-issuer';
import { UserChangeRules } from '../users/user-change-rules';
import { normaliseEmail } from '../users/user-rules';
import { toUserView, userSnapshot } from '../users/user-views';

const fullName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName}`;

@Injectable()
@ChangeHandler('USER_CREATE')
export class UserCreateHandler implements ChangeKindHandler<'USER_CREATE'> {
  constructor(private readonly rules: UserChangeRules) {}

  async validate(
    payload: UserCreateChange,
    { companyId, planned, newId, actor }: ValidationContext,
  ): Promise<ChangeDescription<UserCreateChange>> {
    if (!(await this.rules.users.findCompany(companyId))) throw new NotFoundError('Company');
    this.rules.checkBirthDate(payload.birthDate);
    const email = payload.existingPerson
      ? (await this.rules.personToLink(companyId, payload)).email
      : await this.rules.checkEmail(payload.email, 'email', undefined, undefined, planned);
    // Decision D6: the bank sets an administrator's signing power when registering them; an
    // operator who says nothing gives INDIVIDUAL (a first administrator without one could do nothing).
    const adminSignature =
      payload.adminSignature ??
      (actor?.kind === 'operator' && payload.clientType === ClientType.ADMINISTRATOR ? AdminSignature.INDIVIDUAL : AdminSignature.NONE);
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
    const userId = newId();
    return {
      summary:
        `${payload.existingPerson ? 'Give access to' : 'Create user'} ${payload.firstName} ${payload.lastName} (${email}) ` +
        `as ${payload.clientType}, activation ${normalised.activationMode}`,
      diff: { before: null, after: normalised },
      targetType: 'user',
      targetId: userId,
      subjectUserIds: [],
      plan: normalised as unknown as UserCreateChange,
      creates: [
        {
          type: 'user',
          id: userId,
          data: {
            status: normalised.activationMode === ActivationMode.DEFERRED ? UserStatus.REGISTERED : UserStatus.ACTIVE,
            clientType: payload.clientType,
            adminSignature: normalised.adminSignature,
            email,
            firstName: normalised.firstName,
            lastName: normalised.lastName,
            phone: payload.phone ?? null,
            language: normalised.language,
          },
        },
      ],
    };
  }

  async apply(tx: Tx, payload: UserCreateChange, ctx: ApplyContext): Promise<ChangeEffect> {
    // A new person, or (seed 003 "accès aux dossiers") a new membership of a person another company registered.
    const { personId, email } = payload.existingPerson
      ? await this.rules.personToLink(ctx.companyId, payload, tx)
      : await this.rules.newPerson(tx, payload.email);
    const deferred = payload.activationMode === ActivationMode.DEFERRED;
    // The id was fixed at submission (later items of the request refer to it).
    const user = await this.rules.users.create(tx, {
      id: ctx.newId(),
      companyId: ctx.companyId,
      personId,
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
@ChangeHandler('USER_UPDATE')
export class UserUpdateHandler implements ChangeKindHandler<'USER_UPDATE'> {
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
      changes.email = await this.rules.checkEmail(payload.email, 'email', user.personId, tx);
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

  async validate(payload: UserUpdateChange, { companyId, planned }: ValidationContext): Promise<ChangeDescription<UserUpdateChange>> {
    const user = await this.rules.userOf(companyId, payload.userId, undefined, planned);
    const changes = await this.changes(companyId, user, payload);
    if (Object.keys(changes).length === 0) throw new RuleViolationError('NOTHING_TO_CHANGE', 'The request changes nothing');
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, userSnapshot(user)[k] ?? null]));
    return {
      summary: `Edit user ${fullName(user)}: ${Object.keys(changes).join(', ')}`,
      diff: { before, after: changes },
      targetType: 'user',
      targetId: user.id,
      ...(planned.user(companyId, user.id) ? {} : { targetVersion: user.version }),
      subjectUserIds: [user.id],
      plan: compact({ ...payload, ...changes, adminSignature: undefined }) as unknown as UserUpdateChange,
    };
  }

  async apply(tx: Tx, payload: UserUpdateChange, ctx: ApplyContext): Promise<ChangeEffect> {
    // Only a demotion can break the last-administrator rule: only then are the company's changes serialised.
    if (payload.clientType === ClientType.STANDARD) await this.rules.users.lockCompany(tx, ctx.companyId);
    const user = await this.rules.userOf(ctx.companyId, payload.userId, tx);
    checkVersion(ctx.targetVersion, 'user', user.version);
    const changes = await this.changes(ctx.companyId, user, payload, tx);
    const data: Prisma.UserUncheckedUpdateInput = { ...changes } as Prisma.UserUncheckedUpdateInput;
    if (typeof changes.birthDate === 'string') data.birthDate = new Date(`${changes.birthDate}T00:00:00Z`);
    if (typeof changes.email === 'string') data.personId = await this.rules.personWithNewEmail(tx, user, changes.email);
    const updated = await this.rules.users.updateVersion(tx, user.id, user.version, data);
    // A demoted administrator approves nothing any more: the pending requests are rechecked (issue 17, rule 3).
    if (changes.clientType !== undefined) await this.rules.afterChange(tx, updated);
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

type StatusKind = 'USER_ACTIVATE' | 'USER_SUSPEND' | 'USER_REACTIVATE' | 'USER_DELETE';

@Injectable()
abstract class UserStatusHandler implements ChangeKindHandler<StatusKind> {
  abstract readonly transition: StatusTransition;

  constructor(
    protected readonly rules: UserChangeRules,
    private readonly sessions: SessionRevoker,
  ) {}

  private async check(companyId: string, user: User, tx?: Tx): Promise<void> {
    const t = this.transition;
    if (!t.from.includes(user.status as UserStatus)) {
      throw new RuleViolationError('INVALID_USER_STATUS', `Cannot ${t.verb} ${fullName(user)}: the user is ${user.status}`);
    }
    if (t.guardsLastAdministrator)
      await this.rules.keepsAnAdministrator(companyId, user, `${t.verb === 'delete' ? 'deleting' : 'suspending'} them`, tx);
  }

  async validate(payload: UserTargetChange, { companyId, planned }: ValidationContext): Promise<ChangeDescription<UserTargetChange>> {
    const user = await this.rules.userOf(companyId, payload.userId, undefined, planned);
    await this.check(companyId, user);
    return {
      summary: `${this.transition.verb[0].toUpperCase()}${this.transition.verb.slice(1)} user ${fullName(user)} (${user.email})`,
      diff: { before: { status: user.status }, after: { status: this.transition.to } },
      targetType: 'user',
      targetId: user.id,
      ...(planned.user(companyId, user.id) ? {} : { targetVersion: user.version }),
      subjectUserIds: [user.id],
      plan: { userId: user.id },
    };
  }

  /** What a transition does besides the status (nothing by default). */
  protected async afterTransition(_tx: Tx, _before: User, _after: User): Promise<void> {}

  async apply(tx: Tx, payload: UserTargetChange, ctx: ApplyContext): Promise<ChangeEffect> {
    if (this.transition.guardsLastAdministrator) await this.rules.users.lockCompany(tx, ctx.companyId);
    const user = await this.rules.userOf(ctx.companyId, payload.userId, tx);
    checkVersion(ctx.targetVersion, 'user', user.version);
    await this.check(ctx.companyId, user, tx);
    if (this.transition.to === UserStatus.DELETED) {
      await tx.credential.updateMany({
        where: { userId: user.id, status: 'ACTIVE' },
        data: { status: 'REVOKED', revokedAt: this.rules.clock.now(), version: { increment: 1 } },
      });
    }
    const updated = await this.rules.users.update(tx, user.id, { status: this.transition.to });
    await this.afterTransition(tx, user, updated);
    await this.rules.afterChange(tx, updated);
    const ended = this.transition.endsAccess ? await this.sessions.revokeInTx(tx, { userId: user.id }, this.transition.action) : [];
    return {
      result: { user: toUserView(updated) },
      audit: {
        action: this.transition.action,
        targetType: 'user',
        targetId: user.id,
        before: { status: user.status },
        after: { status: updated.status },
      },
      ...(ended.length ? { followUp: { endedSessionIds: ended } } : {}),
    };
  }
}

@Injectable()
@ChangeHandler('USER_ACTIVATE')
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

  constructor(
    rules: UserChangeRules,
    sessions: SessionRevoker,
    private readonly issuer: CredentialIssuer,
  ) {
    super(rules, sessions);
  }

  /** Seed 003: a user activated later receives the welcome e-mail of the credential prepared for them now. */
  protected override async afterTransition(tx: Tx, before: User, after: User): Promise<void> {
    if (!awaitsActivation(before)) return;
    const credential = await tx.credential.findFirst({ where: { userId: after.id, status: 'ACTIVE' }, orderBy: { createdAt: 'desc' } });
    if (credential) await this.issuer.sendWelcome(tx, after, credential);
  }
}

@Injectable()
@ChangeHandler('USER_SUSPEND')
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
@ChangeHandler('USER_REACTIVATE')
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
@ChangeHandler('USER_DELETE')
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
@ChangeHandler('ADMIN_SIGNATURE_SET')
export class AdminSignatureSetHandler implements ChangeKindHandler<'ADMIN_SIGNATURE_SET'> {
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

  async validate(
    payload: AdminSignatureChange,
    { companyId, planned }: ValidationContext,
  ): Promise<ChangeDescription<AdminSignatureChange>> {
    const user = await this.rules.userOf(companyId, payload.userId, undefined, planned);
    this.check(user, payload);
    return {
      summary: `Set the admin signature of ${fullName(user)} to ${payload.adminSignature} (was ${user.adminSignature})`,
      diff: { before: { adminSignature: user.adminSignature }, after: { adminSignature: payload.adminSignature } },
      targetType: 'user',
      targetId: user.id,
      ...(planned.user(companyId, user.id) ? {} : { targetVersion: user.version }),
      subjectUserIds: [user.id],
      plan: { userId: user.id, adminSignature: payload.adminSignature },
    };
  }

  async apply(tx: Tx, payload: AdminSignatureChange, ctx: ApplyContext): Promise<ChangeEffect> {
    const user = await this.rules.userOf(ctx.companyId, payload.userId, tx);
    checkVersion(ctx.targetVersion, 'user', user.version);
    this.check(user, payload);
    const updated = await this.rules.users.updateVersion(tx, user.id, user.version, { adminSignature: payload.adminSignature });
    // Who can approve changed: the change-request workflow rechecks the pending requests (issue 17, rule 3).
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
