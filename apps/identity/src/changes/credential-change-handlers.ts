import { Injectable } from '@nestjs/common';
import { ChangeKind, ChangeValidation, CredentialCreateChange, CredentialResetChange, CredentialRevokeChange } from '@procura/contracts';
import { Credential, User } from '@procura/database';
import { NotFoundError, RuleViolationError } from '@procura/errors';
import { Tx } from '../companies/companies.repository';
import { CredentialIssuer } from '../credentials/credential-issuer';
import { CredentialsRepository } from '../credentials/credentials.repository';
import { credentialSnapshot, toCredentialView } from '../users/user-views';
import { AppliedChange, ApplyContext, ChangeKindHandler, checkVersion, compact } from './change-kind';
import { UserChangeRules } from './user-change-handlers';

const fullName = (u: User) => `${u.firstName} ${u.lastName}`;

@Injectable()
export class CredentialCreateHandler implements ChangeKindHandler<CredentialCreateChange> {
  readonly kind: ChangeKind = 'CREDENTIAL_CREATE';
  readonly payloadType = CredentialCreateChange;

  constructor(
    private readonly rules: UserChangeRules,
    private readonly credentials: CredentialsRepository,
    private readonly issuer: CredentialIssuer,
  ) {}

  async validate(companyId: string, payload: CredentialCreateChange): Promise<ChangeValidation> {
    const user = await this.rules.userOf(companyId, payload.userId);
    const validUntil = this.issuer.checkCredentialRequest(
      user,
      payload.type,
      payload.validUntil,
      await this.credentials.findCurrentForUser(user.id),
    );
    await this.issuer.checkBankingPower(user, payload.bankingPower);
    const after = { type: payload.type, validUntil: validUntil?.toISOString() ?? null, bankingPower: payload.bankingPower };
    return {
      summary: `Create a ${payload.type.toLowerCase()} credential ${payload.bankingPower ? 'with' : 'without'} banking power for ${fullName(user)}${validUntil ? ` until ${validUntil.toISOString().slice(0, 10)}` : ''}`,
      diff: { before: null, after },
      targetType: 'user',
      targetId: user.id,
      targetVersion: user.version,
      subjectUserIds: [user.id],
      payload: compact({ userId: user.id, type: payload.type, validUntil: validUntil?.toISOString(), bankingPower: payload.bankingPower }),
    };
  }

  async prepare(companyId: string, payload: CredentialCreateChange): Promise<void> {
    // Rights may have changed since validation (a change waiting for approval): ask again.
    const user = await this.rules.userOf(companyId, payload.userId);
    await this.issuer.checkBankingPower(user, payload.bankingPower);
  }

  async apply(tx: Tx, payload: CredentialCreateChange, ctx: ApplyContext): Promise<AppliedChange> {
    await this.rules.users.lockCompany(tx, ctx.companyId);
    const user = await this.rules.userOf(ctx.companyId, payload.userId, tx);
    checkVersion(ctx, 'user', user.version);
    const validUntil = this.issuer.checkCredentialRequest(
      user,
      payload.type,
      payload.validUntil,
      await this.credentials.findCurrentForUser(user.id, tx),
    );
    const issued = await this.issuer.issue(tx, {
      user,
      type: payload.type,
      validUntil,
      bankingPower: payload.bankingPower,
      actor: ctx.actor,
      details: { changeRequestId: ctx.changeRequestId },
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
abstract class ExistingCredentialHandler<P extends { credentialId: string }> implements ChangeKindHandler<P> {
  abstract readonly kind: ChangeKind;
  abstract readonly payloadType: new () => P;

  constructor(
    protected readonly rules: UserChangeRules,
    protected readonly credentials: CredentialsRepository,
    protected readonly issuer: CredentialIssuer,
  ) {}

  protected async credentialOf(companyId: string, credentialId: string, tx?: Tx): Promise<{ credential: Credential; user: User }> {
    const credential = await this.credentials.findById(credentialId, tx);
    if (!credential || credential.companyId !== companyId) throw new NotFoundError('Credential');
    const user = await this.rules.userOf(companyId, credential.userId, tx);
    if (credential.status === 'REVOKED') throw new RuleViolationError('CREDENTIAL_REVOKED', 'The credential is revoked');
    return { credential, user };
  }

  abstract validate(companyId: string, payload: P): Promise<ChangeValidation>;
  abstract apply(tx: Tx, payload: P, ctx: ApplyContext): Promise<AppliedChange>;
}

@Injectable()
export class CredentialRevokeHandler extends ExistingCredentialHandler<CredentialRevokeChange> {
  readonly kind: ChangeKind = 'CREDENTIAL_REVOKE';
  readonly payloadType = CredentialRevokeChange;

  async validate(companyId: string, payload: CredentialRevokeChange): Promise<ChangeValidation> {
    const { credential, user } = await this.credentialOf(companyId, payload.credentialId);
    return {
      summary: `Revoke the credential ${credential.loginId} of ${fullName(user)}`,
      diff: { before: { status: 'ACTIVE' }, after: { status: 'REVOKED' } },
      targetType: 'credential',
      targetId: credential.id,
      targetVersion: credential.version,
      subjectUserIds: [user.id],
      payload: { credentialId: credential.id },
    };
  }

  async apply(tx: Tx, payload: CredentialRevokeChange, ctx: ApplyContext): Promise<AppliedChange> {
    await this.rules.users.lockCompany(tx, ctx.companyId);
    const { credential, user } = await this.credentialOf(ctx.companyId, payload.credentialId, tx);
    checkVersion(ctx, 'credential', credential.version);
    const now = this.rules.clock.now();
    const revoked = await this.credentials.update(tx, credential.id, { status: 'REVOKED', revokedAt: now, version: { increment: 1 } });
    await this.rules.users.update(tx, user.id, {});
    await this.rules.events.principal(tx, user.id);
    const ended = await this.rules.sessions.revokeInTx(tx, { credentialId: credential.id }, 'credential.revoked');
    return {
      result: { credential: toCredentialView(revoked, now) },
      audit: {
        action: 'credential.revoked',
        targetType: 'credential',
        targetId: credential.id,
        before: credentialSnapshot(credential, now),
        after: credentialSnapshot(revoked, now),
      },
      afterCommit: () => this.rules.sessions.publish(ended),
    };
  }
}

@Injectable()
export class CredentialResetHandler extends ExistingCredentialHandler<CredentialResetChange> {
  readonly kind: ChangeKind = 'CREDENTIAL_RESET';
  readonly payloadType = CredentialResetChange;

  private check(user: User): void {
    if (user.status !== 'ACTIVE')
      throw new RuleViolationError('USER_NOT_ACTIVE', 'Only an active user can receive a new provisional password');
  }

  async validate(companyId: string, payload: CredentialResetChange): Promise<ChangeValidation> {
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
      payload: { credentialId: credential.id, resetTotp: payload.resetTotp === true },
    };
  }

  async apply(tx: Tx, payload: CredentialResetChange, ctx: ApplyContext): Promise<AppliedChange> {
    await this.rules.users.lockCompany(tx, ctx.companyId);
    const { credential, user } = await this.credentialOf(ctx.companyId, payload.credentialId, tx);
    checkVersion(ctx, 'credential', credential.version);
    this.check(user);
    const now = this.rules.clock.now();
    const reissued = await this.issuer.reissue(tx, credential, user, payload.resetTotp === true);
    const ended = await this.rules.sessions.revokeInTx(tx, { credentialId: credential.id }, 'credential.reset');
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
      afterCommit: () => this.rules.sessions.publish(ended),
    };
  }
}
