import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { Actor, ChangePasswordDto, SessionScope, SessionTokens, StepUpTokens, StepUpVerified, TotpEnrolment } from '@procura/contracts';
import { Company, Credential, Transactions, Tx, User } from '@procura/database';
import { ConflictError, DomainError, RuleViolationError, UnauthenticatedError, ValidationFailedError } from '@procura/errors';
import { openSecret, sealSecret, signAccessToken } from '@procura/security';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { CredentialsRepository, CredentialWithOwner, LoginCandidate } from '../credentials/credentials.repository';
import { isWellFormedLoginId, maskLoginId } from '../credentials/login-id';
import { burnVerification, hashPassword, verifyPassword } from '../credentials/password-hasher';
import { checkPasswordPolicy, PASSWORD_HISTORY_DEPTH } from '../credentials/password-policy';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { credentialStatus } from '../users/user-views';
import { OperatorAuthService } from './operator-auth.service';
import { SessionRevoker } from './session-revoker';
import { SessionsRepository } from './sessions.repository';
import { acceptTotp, newTotpSecret, totpUri } from './totp';

/** The one answer to every failed sign-in: it never says which of login id or password was wrong. */
const loginFailed = () => new UnauthenticatedError('Login id or password incorrect, or access not possible at the moment');
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** How long the password half of a sign-in waits for the TOTP code. */
const TOTP_VERIFICATION_SECONDS = 300;

export const stepUpFailed = () =>
  new DomainError('STEP_UP_FAILED', 403, 'The strong-authentication code is wrong, expired or was already used');

/** How a session's tokens are minted: still waiting for the TOTP code, or carrying a fresh strong authentication. */
interface TokenOptions {
  awaitingTotp?: boolean;
  strongAuth?: boolean;
}

/** Sign-in (password, then the TOTP code when enrolled), sessions, password change, TOTP enrolment and step-up. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly config: AppConfig,
    private readonly credentials: CredentialsRepository,
    private readonly sessions: SessionsRepository,
    private readonly revoker: SessionRevoker,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
    private readonly clock: Clock,
    private readonly operatorAuth: OperatorAuthService,
  ) {}

  async login(loginId: string, password: string, sourceIp?: string): Promise<SessionTokens> {
    // A typo is caught before any lookup (seed 000: 14 digits with a check digit).
    if (!isWellFormedLoginId(loginId))
      throw new ValidationFailedError([{ field: 'loginId', messages: ['loginId has a wrong check digit: check the 14 digits'] }]);
    const credential = await this.credentials.findLoginCandidate(loginId);
    if (!credential) {
      await burnVerification(password);
      await this.auditOutsideTx({
        companyId: null,
        actor: 'anonymous',
        action: 'login.failed',
        targetType: 'login',
        sourceIp,
        details: { loginId: maskLoginId(loginId), reason: 'unknown-login-id' },
      });
      throw loginFailed();
    }
    const now = this.clock.now();
    // Always verify, even when the outcome is already known: equal timing for every refusal.
    const passwordOk = await verifyPassword(credential.passwordHash, password);
    const refusal = this.refusal(credential, now, passwordOk);
    if (refusal) {
      let locked = false;
      if (refusal === 'wrong-password') {
        locked = await this.credentials.registerFailure(
          credential.id,
          this.config.loginMaxFailures,
          new Date(now.getTime() + this.config.loginLockoutMinutes * 60_000),
        );
      }
      await this.auditOutsideTx({
        companyId: credential.companyId,
        actor: `user:${credential.userId}`,
        action: 'login.failed',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
        details: { reason: refusal },
      });
      if (locked) await this.recordLockout(credential, sourceIp);
      throw loginFailed();
    }
    // TOTP enrolled (seed 001: the user "devra s'authentifier avec Sécur'Pass"): the password
    // alone opens a short session that may only give the code (verifyTotp).
    const awaitingTotp = !credential.passwordIsProvisional && credential.totpEnrolledAt !== null;
    // Failures are forgotten only when the sign-in is complete: a known password must not reset
    // the count of wrong TOTP codes (which would allow guessing codes without end).
    if (!awaitingTotp && (credential.failedAttempts > 0 || credential.lockedUntil)) await this.credentials.clearFailures(credential.id);
    // The hot path: one statement writes the session, the refresh token and the audit row;
    // no nudge, sign-in audit events ride the relay's next poll (within OUTBOX_POLL_MS), batched.
    const sessionId = randomUUID();
    const lifetimeSeconds = awaitingTotp
      ? Math.min(TOTP_VERIFICATION_SECONDS, this.config.refreshTokenTtlSeconds)
      : this.config.refreshTokenTtlSeconds;
    const expiresAt = new Date(now.getTime() + lifetimeSeconds * 1000);
    const { tokens, refreshTokenHash } = this.mintTokens(sessionId, credential, credential.user, credential.user.company, expiresAt, {
      awaitingTotp,
    });
    await this.sessions.openSessionWithAudit(
      {
        id: sessionId,
        credentialId: credential.id,
        userId: credential.userId,
        companyId: credential.companyId,
        sourceIp,
        expiresAt,
        awaitingTotp,
      },
      refreshTokenHash,
      this.events.auditOutboxRow({
        companyId: credential.companyId,
        actor: `user:${credential.userId}`,
        action: 'login.succeeded',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
        details: { scope: tokens.scope, sessionId },
      }),
    );
    return tokens;
  }

  private refusal(c: LoginCandidate, now: Date, passwordOk: boolean): string | undefined {
    if (c.lockedUntil && c.lockedUntil.getTime() > now.getTime()) return 'locked';
    if (!passwordOk) return 'wrong-password';
    const status = credentialStatus(c, now);
    if (status !== 'ACTIVE') return `credential-${status.toLowerCase()}`;
    if (c.user.status !== 'ACTIVE') return `user-${c.user.status.toLowerCase()}`;
    if (c.passwordIsProvisional && c.provisionalExpiresAt && c.provisionalExpiresAt.getTime() <= now.getTime())
      return 'provisional-password-expired';
    return undefined;
  }

  async refresh(refreshToken: string, sourceIp?: string): Promise<SessionTokens> {
    const now = this.clock.now();
    const hash = sha256(refreshToken);
    const token = await this.sessions.findRefreshToken(hash);
    if (!token) throw new UnauthenticatedError('Invalid refresh token');
    const session = await this.sessions.findSession(token.sessionId);
    if (!session) throw new UnauthenticatedError('Invalid refresh token');
    if (token.usedAt) {
      // A refresh token is used once: a second use means a copy exists. End the session.
      await this.revoker.revoke({ sessionId: session.id }, 'refresh-token-reuse');
      await this.auditOutsideTx({
        companyId: session.companyId,
        actor: session.operatorId ? `operator:${session.operatorId}` : `user:${session.userId}`,
        action: 'session.refresh-token-reused',
        targetType: 'session',
        targetId: session.id,
        sourceIp,
      });
      throw new UnauthenticatedError('Invalid refresh token');
    }
    if (session.revokedAt || session.expiresAt.getTime() <= now.getTime() || token.expiresAt.getTime() <= now.getTime())
      throw new UnauthenticatedError('Session ended: sign in again');
    if (session.operatorId) return this.operatorAuth.continueSession(session, hash);
    const credential = await this.credentials.findWithOwner(session.credentialId);
    if (!credential || this.refusal(credential, now, true)) {
      await this.revoker.revoke({ sessionId: session.id }, 'access-withdrawn');
      throw new UnauthenticatedError('Session ended: sign in again');
    }
    const tokens = await this.transactions.run(async (tx) => {
      if (!(await this.sessions.useRefreshToken(tx, hash, now))) throw new UnauthenticatedError('Invalid refresh token');
      // A session still waiting for its TOTP code stays restricted, whatever the refreshes.
      return this.tokensFor(tx, session.id, credential, credential.user, credential.user.company, session.expiresAt, {
        awaitingTotp: session.awaitingTotp,
      });
    });
    return tokens;
  }

  /**
   * The second step of signing in with TOTP enrolled: the code of the authenticator app, for
   * the session the password opened. A good code ends that session and opens a full one; a
   * wrong code counts towards the credential's lock-out like a wrong password; a code is
   * accepted once (the same time step as step-up codes).
   */
  async verifyTotp(actor: Actor, code: string, sourceIp?: string): Promise<SessionTokens> {
    const { sessionId, userId } = this.userActor(actor);
    const now = this.clock.now();
    const session = await this.sessions.findSession(sessionId);
    if (!session || session.revokedAt || session.userId !== userId || session.expiresAt.getTime() <= now.getTime())
      throw new UnauthenticatedError('Session ended: sign in again');
    if (!session.awaitingTotp) throw new ConflictError('TOTP_ALREADY_VERIFIED', 'This session is already signed in');
    const credential = await this.credentials.findWithOwner(session.credentialId);
    if (!credential || this.refusal(credential, now, true) || !credential.totpSecretSealed) {
      // Locked by wrong codes, revoked, suspended or reset meanwhile: this sign-in is over.
      await this.revoker.revoke({ sessionId }, 'access-withdrawn');
      throw new UnauthenticatedError('Session ended: sign in again');
    }
    const check = await this.claimTotpCode(credential, code, now);
    if (!check.accepted) {
      const { locked } = check;
      await this.auditOutsideTx({
        companyId: credential.companyId,
        actor: `user:${userId}`,
        action: 'login.totp-failed',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
        details: { sessionId, locked },
      });
      if (locked) {
        await this.recordLockout(credential, sourceIp);
        await this.revoker.revoke({ sessionId }, 'locked');
        throw new UnauthenticatedError('Session ended: sign in again');
      }
      throw new RuleViolationError('TOTP_CODE_INVALID', 'The code does not match: type the code your authenticator app shows now', [
        { field: 'code', messages: ['code does not match'] },
      ]);
    }
    const { tokens, ended } = await this.transactions.run(async (tx) => {
      if (credential.failedAttempts > 0 || credential.lockedUntil)
        await this.credentials.update(tx, credential.id, { failedAttempts: 0, lockedUntil: null });
      const endedSessions = await this.revoker.revokeInTx(tx, { sessionId }, 'totp-verified');
      await this.events.audit(tx, {
        companyId: credential.companyId,
        actor: `user:${userId}`,
        action: 'login.totp-verified',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
        details: { passwordSessionId: sessionId },
      });
      // The code just given is a fresh strong authentication (like the enrolment confirmation):
      // the full session starts stepped up.
      const tokens = await this.openSession(tx, credential, credential.user, credential.user.company, sourceIp, { strongAuth: true });
      return { tokens, ended: endedSessions };
    });
    await this.revoker.publish(ended);
    this.relay.nudge();
    return tokens;
  }

  async logout(actor: Actor, sourceIp?: string): Promise<{ loggedOut: true }> {
    const { sessionId, userId, companyId } = this.userActor(actor);
    const ids = await this.transactions.run(async (tx) => {
      const revoked = await this.revoker.revokeInTx(tx, { sessionId }, 'logout');
      await this.events.audit(tx, {
        companyId,
        actor,
        action: 'session.logout',
        targetType: 'session',
        targetId: sessionId,
        sourceIp,
        details: { userId },
      });
      return revoked;
    });
    await this.revoker.publish(ids.length ? ids : [sessionId]);
    this.relay.nudge();
    return { loggedOut: true };
  }

  async changePassword(actor: Actor, input: ChangePasswordDto, sourceIp?: string): Promise<SessionTokens> {
    const { credential } = await this.sessionCredential(actor);
    const now = this.clock.now();
    if (!(await verifyPassword(credential.passwordHash, input.currentPassword))) {
      await this.credentials.registerFailure(
        credential.id,
        this.config.loginMaxFailures,
        new Date(now.getTime() + this.config.loginLockoutMinutes * 60_000),
      );
      await this.auditOutsideTx({
        companyId: credential.companyId,
        actor,
        action: 'password-change.failed',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
        details: { reason: 'wrong-current-password' },
      });
      throw new RuleViolationError('CURRENT_PASSWORD_INCORRECT', 'The current password is incorrect', [
        { field: 'currentPassword', messages: ['currentPassword is incorrect'] },
      ]);
    }
    if (credential.passwordIsProvisional && credential.provisionalExpiresAt && credential.provisionalExpiresAt.getTime() <= now.getTime()) {
      throw new RuleViolationError(
        'PROVISIONAL_PASSWORD_EXPIRED',
        'The provisional password has expired: ask your administrator for a new one',
      );
    }
    const recent = [credential.passwordHash, ...(await this.credentials.recentPasswordHashes(credential.id))].slice(
      0,
      PASSWORD_HISTORY_DEPTH,
    );
    let reuses = false;
    for (const hash of recent) if (!reuses) reuses = await verifyPassword(hash, input.newPassword);
    const errors = checkPasswordPolicy({
      newPassword: input.newPassword,
      confirmation: input.newPasswordConfirmation,
      loginId: credential.loginId,
      firstName: credential.user.firstName,
      lastName: credential.user.lastName,
      reusesRecentPassword: reuses,
    });
    if (errors.length) throw new ValidationFailedError(errors, 'The new password does not meet the password policy');
    const newHash = await hashPassword(input.newPassword);
    const { tokens, ended } = await this.transactions.run(async (tx) => {
      await this.credentials.rememberPassword(tx, credential.id, credential.passwordHash);
      const updated = await this.credentials.update(tx, credential.id, {
        passwordHash: newHash,
        passwordIsProvisional: false,
        provisionalExpiresAt: null,
        passwordChangedAt: now,
        failedAttempts: 0,
        lockedUntil: null,
        version: { increment: 1 },
      });
      const endedSessions = await this.revoker.revokeInTx(tx, { credentialId: credential.id }, 'password-changed');
      await this.events.audit(tx, {
        companyId: credential.companyId,
        actor,
        action: 'credential.password-changed',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
        details: { wasProvisional: credential.passwordIsProvisional },
      });
      return { tokens: await this.openSession(tx, updated, credential.user, credential.user.company, sourceIp), ended: endedSessions };
    });
    await this.revoker.publish(ended);
    this.relay.nudge();
    return tokens;
  }

  async enrolTotp(actor: Actor, sourceIp?: string): Promise<TotpEnrolment> {
    const { credential } = await this.sessionCredential(actor);
    if (credential.passwordIsProvisional)
      throw new RuleViolationError('PASSWORD_CHANGE_REQUIRED', 'Change your provisional password first');
    if (credential.totpEnrolledAt)
      throw new ConflictError('TOTP_ALREADY_ENROLLED', 'Strong authentication is already enrolled; your administrator can reset it');
    const secret = newTotpSecret();
    await this.transactions.run(async (tx) => {
      await this.credentials.update(tx, credential.id, { totpPendingSealed: sealSecret(secret, this.config.secretsKey).sealed });
      await this.events.audit(tx, {
        companyId: credential.companyId,
        actor,
        action: 'credential.totp-enrolment-started',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
      });
    });
    this.relay.nudge();
    return { otpauthUri: totpUri(credential.loginId, secret), secret };
  }

  async confirmTotp(actor: Actor, code: string, sourceIp?: string): Promise<SessionTokens> {
    const { credential } = await this.sessionCredential(actor);
    if (credential.totpEnrolledAt) throw new ConflictError('TOTP_ALREADY_ENROLLED', 'Strong authentication is already enrolled');
    if (!credential.totpPendingSealed)
      throw new RuleViolationError('TOTP_ENROLMENT_NOT_STARTED', 'Start the enrolment first (POST /auth/totp/enrol)');
    const secret = openSecret({ sealed: credential.totpPendingSealed }, this.config.secretsKey);
    const step = acceptTotp(secret, code, this.clock.now().getTime());
    if (step === undefined)
      throw new RuleViolationError(
        'TOTP_CODE_INVALID',
        'The code does not match: check the time of your phone and type the code shown now',
        [{ field: 'code', messages: ['code does not match'] }],
      );
    const { tokens, ended } = await this.transactions.run(async (tx) => {
      const updated = await this.credentials.update(tx, credential.id, {
        totpSecretSealed: credential.totpPendingSealed,
        totpPendingSealed: null,
        totpEnrolledAt: this.clock.now(),
        totpLastStep: step,
        version: { increment: 1 },
      });
      const endedSessions = await this.revoker.revokeInTx(
        tx,
        { sessionId: (actor as Extract<Actor, { kind: 'user' }>).sessionId },
        'totp-enrolled',
      );
      await this.events.audit(tx, {
        companyId: credential.companyId,
        actor,
        action: 'credential.totp-enrolled',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
      });
      // The confirming code is a fresh strong authentication: the new session starts stepped up.
      const tokens = await this.openSession(tx, updated, credential.user, credential.user.company, sourceIp, { strongAuth: true });
      return { tokens, ended: endedSessions };
    });
    await this.revoker.publish(ended);
    this.relay.nudge();
    return tokens;
  }

  /**
   * Step-up (seed 001, "Sécur'Pass"): a fresh TOTP code of the user's own credential,
   * accepted once. Wrong codes count towards the credential's lock-out like passwords.
   */
  /** `auditSuccess: false` when the caller's own audit entry records the strong authentication (an approval). */
  async verifyStepUp(userId: string, code: string, purpose: string, options: { auditSuccess?: boolean } = {}): Promise<StepUpVerified> {
    const credential = await this.credentials.findCurrentForUser(userId);
    const now = this.clock.now();
    if (!credential || credentialStatus(credential, now) !== 'ACTIVE') throw stepUpFailed();
    if (!credential.totpSecretSealed) throw new DomainError('STRONG_AUTH_NOT_ENROLLED', 403, 'Enrol strong authentication (TOTP) first');
    if (credential.lockedUntil && credential.lockedUntil.getTime() > now.getTime()) throw stepUpFailed();
    const check = await this.claimTotpCode(credential, code, now);
    if (!check.accepted) {
      const { locked } = check;
      await this.auditOutsideTx({
        companyId: credential.companyId,
        actor: `user:${userId}`,
        action: 'step-up.failed',
        targetType: 'credential',
        targetId: credential.id,
        details: { purpose, locked },
      });
      throw stepUpFailed();
    }
    if (options.auditSuccess === false) return { verifiedAt: now.toISOString() };
    await this.auditOutsideTx({
      companyId: credential.companyId,
      actor: `user:${userId}`,
      action: 'step-up.verified',
      targetType: 'credential',
      targetId: credential.id,
      details: { purpose },
    });
    return { verifiedAt: now.toISOString() };
  }

  /**
   * Seed 001: "validez votre opération avec Sécur'Pass". A fresh TOTP code makes the
   * session's next access token carry the strong authentication for its lifetime, so the
   * changes the company policy asks it for can be submitted with it (the code is good once).
   */
  async stepUp(actor: Actor, code: string): Promise<StepUpTokens> {
    const user = this.userActor(actor);
    await this.verifyStepUp(user.userId, code, 'strong authentication of the maker');
    const nowS = Math.floor(this.clock.now().getTime() / 1000);
    const exp = nowS + this.config.accessTokenTtlSeconds;
    const accessToken = signAccessToken(
      { sub: user.userId, cid: user.companyId, ct: user.clientType, sid: user.sessionId, scope: 'full', iat: nowS, exp, sux: exp },
      this.config.authTokenSecret,
    );
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.accessTokenTtlSeconds,
      stepUpUntil: new Date(exp * 1000).toISOString(),
    };
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────

  private async recordLockout(credential: Pick<Credential, 'id' | 'companyId'>, sourceIp?: string): Promise<void> {
    await this.auditOutsideTx({
      companyId: credential.companyId,
      actor: 'system:login-lockout',
      action: 'credential.locked',
      targetType: 'credential',
      targetId: credential.id,
      sourceIp,
      details: { minutes: this.config.loginLockoutMinutes },
    });
    this.logger.warn({ msg: 'credential locked after repeated failures', credentialId: credential.id });
  }

  /**
   * A TOTP code of the credential's enrolled secret, valid now and newer than the last one
   * used, claimed so that it is never accepted again; a refused code counts towards the
   * credential's lock-out (sign-in and step-up alike).
   */
  private async claimTotpCode(
    credential: Pick<Credential, 'id' | 'totpSecretSealed' | 'totpLastStep'>,
    code: string,
    now: Date,
  ): Promise<{ accepted: true } | { accepted: false; locked: boolean }> {
    const secret = openSecret({ sealed: credential.totpSecretSealed! }, this.config.secretsKey);
    const step = acceptTotp(secret, code, now.getTime(), credential.totpLastStep);
    if (step !== undefined && (await this.credentials.claimTotpStep(credential.id, step))) return { accepted: true };
    const locked = await this.credentials.registerFailure(
      credential.id,
      this.config.loginMaxFailures,
      new Date(now.getTime() + this.config.loginLockoutMinutes * 60_000),
    );
    return { accepted: false, locked };
  }

  private userActor(actor: Actor): Extract<Actor, { kind: 'user' }> {
    if (actor.kind !== 'user') throw new UnauthenticatedError('Sign in as a user');
    return actor;
  }

  private async sessionCredential(actor: Actor): Promise<{ credential: CredentialWithOwner }> {
    const user = this.userActor(actor);
    const session = await this.sessions.findSession(user.sessionId);
    if (!session || session.revokedAt || session.userId !== user.userId) throw new UnauthenticatedError('Session ended: sign in again');
    const credential = await this.credentials.findWithOwner(session.credentialId);
    if (!credential || credential.status === 'REVOKED') throw new UnauthenticatedError('Session ended: sign in again');
    return { credential };
  }

  scopeOf(
    credential: Pick<Credential, 'passwordIsProvisional' | 'totpEnrolledAt'>,
    company: Pick<Company, 'requireStrongAuth'>,
    awaitingTotp = false,
  ): SessionScope {
    if (credential.passwordIsProvisional) return 'password-change';
    if (awaitingTotp) return 'totp-verification';
    if (company.requireStrongAuth && !credential.totpEnrolledAt) return 'totp-enrolment';
    return 'full';
  }

  private async openSession(
    tx: Tx,
    credential: Credential,
    user: User,
    company: Company,
    sourceIp?: string,
    options: TokenOptions = {},
  ): Promise<SessionTokens> {
    const sessionId = randomUUID();
    const expiresAt = new Date(this.clock.now().getTime() + this.config.refreshTokenTtlSeconds * 1000);
    await this.sessions.createSession(tx, {
      id: sessionId,
      credentialId: credential.id,
      userId: user.id,
      companyId: user.companyId,
      sourceIp,
      expiresAt,
    });
    return this.tokensFor(tx, sessionId, credential, user, company, expiresAt, options);
  }

  private async tokensFor(
    tx: Tx,
    sessionId: string,
    credential: Credential,
    user: User,
    company: Company,
    sessionExpiresAt: Date,
    options: TokenOptions = {},
  ): Promise<SessionTokens> {
    const { tokens, refreshTokenHash } = this.mintTokens(sessionId, credential, user, company, sessionExpiresAt, options);
    await this.sessions.addRefreshToken(tx, { tokenHash: refreshTokenHash, sessionId, expiresAt: sessionExpiresAt });
    return tokens;
  }

  private mintTokens(
    sessionId: string,
    credential: Pick<Credential, 'passwordIsProvisional' | 'totpEnrolledAt'>,
    user: Pick<User, 'id' | 'companyId' | 'clientType'>,
    company: Pick<Company, 'requireStrongAuth'>,
    sessionExpiresAt: Date,
    options: TokenOptions = {},
  ): { tokens: SessionTokens; refreshTokenHash: string } {
    const scope = this.scopeOf(credential, company, options.awaitingTotp);
    const nowS = Math.floor(this.clock.now().getTime() / 1000);
    const accessToken = signAccessToken(
      {
        sub: user.id,
        cid: user.companyId,
        ct: user.clientType,
        sid: sessionId,
        scope,
        iat: nowS,
        exp: nowS + this.config.accessTokenTtlSeconds,
        ...(options.strongAuth && scope === 'full' ? { sux: nowS + this.config.accessTokenTtlSeconds } : {}),
      },
      this.config.authTokenSecret,
    );
    const refreshToken = randomBytes(32).toString('base64url');
    return {
      refreshTokenHash: sha256(refreshToken),
      tokens: {
        accessToken,
        refreshToken,
        tokenType: 'Bearer',
        expiresIn: this.config.accessTokenTtlSeconds,
        scope,
        passwordChangeRequired: scope === 'password-change',
        totpEnrolmentRequired: scope !== 'full' && company.requireStrongAuth && !credential.totpEnrolledAt,
        totpCodeRequired: scope === 'totp-verification',
        sessionExpiresAt: sessionExpiresAt.toISOString(),
      },
    };
  }

  private async auditOutsideTx(input: Parameters<IdentityEvents['audit']>[1]): Promise<void> {
    await this.transactions.run((tx) => this.events.audit(tx, input));
    this.relay.nudge();
  }
}
