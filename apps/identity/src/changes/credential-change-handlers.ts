import { Injectable } from '@nestjs/common';
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
import { CredentialCreateChange, CredentialResetChange, CredentialRevokeChange } from '@procura/contracts';
import { Credential, Tx, User } from '@procura/database';
import { NotFoundError, RuleViolationError } from '@procura/errors';
import { CredentialIssuer } from '../credentials/credential-issuer';
import { CredentialsRepository } from '../credentials/credentials.repository';
import { credentialSnapshot, toCredentialView } from '../users/user-views';
import { SessionRevoker } from '../auth/session-revoker';
import { UserChangeRules } from '../users/user-change-rules';

const fullName = (u: User) => `${u.firstName} ${u.lastName}`;

@Injectable()
@ChangeHandler('CREDENTIAL_CREATE')
export class CredentialCreateHandler implements ChangeKindHandler<'CREDENTIAL_CREATE'> {
  constructor(
    private readonly rules: UserChangeRules,
    private readonly credentials: CredentialsRepository,
    private readonly issuer: CredentialIssuer,
  ) {}

  async validate(
    payload: CredentialCreateChange,
    { companyId, planned, newId }: ValidationContext,
  ): Promise<ChangeDescription<CredentialCreateChange>> {
    const user = await this.rules.userOf(companyId, payload.userId, undefined, planned);
    const isPlanned = !!planned.user(companyId, user.id);
    // A credential an earlier item creates for the same user counts as existing.
    const existing = (await this.credentials.findCurrentForUser(user.id)) ?? (planned.credentialFor(user.id) ? ({} as Credential) : null);
    const validUntil = this.issuer.checkCredentialRequest(user, payload.type, payload.validUntil, existing);
    // A user registered by this request has no rights yet but those its earlier items give.
    await this.issuer.checkBankingPower(user, payload.bankingPower, {
      plannedServices: planned.servicesGivenTo(user.id),
      onlyPlanned: isPlanned,
    });
    const after = {
      type: payload.type,
      validUntil: validUntil?.toISOString() ?? null,
      bankingPower: payload.bankingPower,
      // Seed 003's "Envoyer un email" unticked: the approvers see it, and apply keeps it.
      ...(payload.sendWelcomeEmail === false ? { sendWelcomeEmail: false } : {}),
    };
    return {
      summary: `Create a ${payload.type.toLowerCase()} credential ${payload.bankingPower ? 'with' : 'without'} banking power for ${fullName(user)}${validUntil ? ` until ${validUntil.toISOString().slice(0, 10)}` : ''}`,
      diff: { before: null, after },
      targetType: 'user',
      targetId: user.id,
      ...(isPlanned ? {} : { targetVersion: user.version }),
      subjectUserIds: [user.id],
      plan: compact({
        userId: user.id,
        type: payload.type,
        validUntil: validUntil?.toISOString(),
        bankingPower: payload.bankingPower,
        sendWelcomeEmail: payload.sendWelcomeEmail,
      }) as unknown as CredentialCreateChange,
      creates: [{ type: 'credential', id: newId(), data: { userId: user.id, type: payload.type, bankingPower: payload.bankingPower } }],
    };
  }

  async prepare(payload: CredentialCreateChange, ctx: ApplyContext): Promise<void> {
    // Rights may have changed since validation (a change waiting for approval): ask again.
    const user = await this.rules.userOf(ctx.companyId, payload.userId);
    await this.issuer.checkBankingPower(user, payload.bankingPower);
  }

  async apply(tx: Tx, payload: CredentialCreateChange, ctx: ApplyContext): Promise<ChangeEffect> {
    // One current credential per user: two creations for one user queue here.
    await this.rules.users.lockCompany(tx, ctx.companyId);
    const user = await this.rules.userOf(ctx.companyId, payload.userId, tx);
    checkVersion(ctx.targetVersion, 'user', user.version);
    const validUntil = this.issuer.checkCredentialRequest(
      user,
      payload.type,
      payload.validUntil,
      await this.credentials.findCurrentForUser(user.id, tx),
    );
    const issued = await this.issuer.issue(tx, {
      id: ctx.newId(),
      user,
      type: payload.type,
      validUntil,
      bankingPower: payload.bankingPower,
      actor: ctx.actor,
      details: { changeRequestId: ctx.itemId },
      welcomeEmail: payload.sendWelcomeEmail,
    });
    return {
      result: { ...issued.view },
      revealOnce: issued.provisionalPassword ? { provisionalPassword: issued.provisionalPassword } : undefined,
      audit: {
        action: 'change.credential-create',
        targetType: 'credential',
        targetId: issued.credential.id,
        before: null,
        after: credentialSnapshot(issued.credential, this.rules.clock.now()),
      },
    };
  }
}

@Injectable()
abstract class ExistingCredentialHandler {
  constructor(
    protected readonly rules: UserChangeRules,
    protected readonly credentials: CredentialsRepository,
    protected readonly issuer: CredentialIssuer,
    protected readonly sessions: SessionRevoker,
  ) {}

  protected async credentialOf(companyId: string, credentialId: string, tx?: Tx): Promise<{ credential: Credential; user: User }> {
    const credential = await this.credentials.findById(credentialId, tx);
    if (!credential || credential.companyId !== companyId) throw new NotFoundError('Credential');
    const user = await this.rules.userOf(companyId, credential.userId, tx);
    if (credential.status === 'REVOKED') throw new RuleViolationError('CREDENTIAL_REVOKED', 'The credential is revoked');
    return { credential, user };
  }
}

@Injectable()
@ChangeHandler('CREDENTIAL_REVOKE')
export class CredentialRevokeHandler extends ExistingCredentialHandler implements ChangeKindHandler<'CREDENTIAL_REVOKE'> {
  async validate(payload: CredentialRevokeChange, { companyId }: ValidationContext): Promise<ChangeDescription<CredentialRevokeChange>> {
    const { credential, user } = await this.credentialOf(companyId, payload.credentialId);
    return {
      summary: `Revoke the credential ${credential.loginId} of ${fullName(user)}`,
      diff: { before: { status: 'ACTIVE' }, after: { status: 'REVOKED' } },
      targetType: 'credential',
      targetId: credential.id,
      targetVersion: credential.version,
      subjectUserIds: [user.id],
      plan: { credentialId: credential.id },
    };
  }

  async apply(tx: Tx, payload: CredentialRevokeChange, ctx: ApplyContext): Promise<ChangeEffect> {
    await this.rules.users.lockCompany(tx, ctx.companyId);
    const { credential, user } = await this.credentialOf(ctx.companyId, payload.credentialId, tx);
    checkVersion(ctx.targetVersion, 'credential', credential.version);
    const now = this.rules.clock.now();
    const revoked = await this.credentials.update(tx, credential.id, { status: 'REVOKED', revokedAt: now, version: { increment: 1 } });
    await this.rules.users.update(tx, user.id, {});
    await this.rules.events.principal(tx, user.id);
    const ended = await this.sessions.revokeInTx(tx, { credentialId: credential.id }, 'credential.revoked');
    return {
      result: { credential: toCredentialView(revoked, now) },
      audit: {
        action: 'credential.revoked',
        targetType: 'credential',
        targetId: credential.id,
        before: credentialSnapshot(credential, now),
        after: credentialSnapshot(revoked, now),
      },
      ...(ended.length ? { followUp: { endedSessionIds: ended } } : {}),
    };
  }
}

@Injectable()
@ChangeHandler('CREDENTIAL_RESET')
export class CredentialResetHandler extends ExistingCredentialHandler implements ChangeKindHandler<'CREDENTIAL_RESET'> {
  private check(user: User): void {
    if (user.status !== 'ACTIVE')
      throw new RuleViolationError('USER_NOT_ACTIVE', 'Only an active user can receive a new provisional password');
  }

  async validate(payload: CredentialResetChange, { companyId }: ValidationContext): Promise<ChangeDescription<CredentialResetChange>> {
    const { credential, user } = await this.credentialOf(companyId, payload.credentialId);
    this.check(user);
    return {
      summary: `Send a new provisional password for the credential ${credential.loginId} of ${fullName(user)}${payload.resetTotp ? ' and remove its strong authentication' : ''}`,
      diff: {
        before: { passwordChangeRequired: credential.passwordIsProvisional, totpEnrolled: !!credential.totpEnrolledAt },
        after: { passwordChangeRequired: true, totpEnrolled: payload.resetTotp ? false : !!credential.totpEnrolledAt },
      },
      targetType: 'credential',
      targetId: credential.id,
      targetVersion: credential.version,
      subjectUserIds: [user.id],
      plan: { credentialId: credential.id, resetTotp: payload.resetTotp === true },
    };
  }

  async apply(tx: Tx, payload: CredentialResetChange, ctx: ApplyContext): Promise<ChangeEffect> {
    await this.rules.users.lockCompany(tx, ctx.companyId);
    const { credential, user } = await this.credentialOf(ctx.companyId, payload.credentialId, tx);
    checkVersion(ctx.targetVersion, 'credential', credential.version);
    this.check(user);
    const now = this.rules.clock.now();
    const reissued = await this.issuer.reissue(tx, credential, user, payload.resetTotp === true);
    const ended = await this.sessions.revokeInTx(tx, { credentialId: credential.id }, 'credential.reset');
    return {
      result: {
        credential: toCredentialView(reissued.credential, now),
        provisionalPasswordDelivery: reissued.delivery,
        provisionalPasswordExpiresAt: reissued.expiresAt.toISOString(),
      },
      revealOnce: reissued.provisionalPassword ? { provisionalPassword: reissued.provisionalPassword } : undefined,
      audit: {
        action: 'credential.reset',
        targetType: 'credential',
        targetId: credential.id,
        before: credentialSnapshot(credential, now),
        after: { ...credentialSnapshot(reissued.credential, now), provisionalPasswordDelivery: reissued.delivery },
      },
      ...(ended.length ? { followUp: { endedSessionIds: ended } } : {}),
    };
  }
}
