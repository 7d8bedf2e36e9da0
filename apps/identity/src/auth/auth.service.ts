import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import {
  Actor,
  ChangePasswordDto,
  LoginPayload,
  SessionScope,
  SessionTokens,
  StepUpTokens,
  StepUpVerified,
  TotpEnrolment,
} from '@procura/contracts';
import { Company, Credential, Transactions, Tx, User } from '@procura/database';
import { ConflictError, DomainError, RuleViolationError, UnauthenticatedError, ValidationFailedError } from '@procura/errors';
import { signAccessToken } from '@procura/security';
import { randomUUID } from 'node:crypto';

import { CredentialsRepository, CredentialWithOwner, LoginCandidate } from '../credentials/credentials.repository';
import { maskLoginId, parseSignInIdentifier } from '../credentials/login-id';
import { burnVerification, verifyPassword } from '../credentials/password-hasher';
import { PASSWORD_HISTORY_DEPTH } from '../credentials/password-policy';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { credentialStatus } from '../users/user-views';
import { OperatorAuthService } from './operator-auth.service';
import { SessionRevoker } from './session-revoker';
import { SessionsRepository } from './sessions.repository';
import { sessionEnded, sha256, SignInSteps, stepUpFailed } from './sign-in-steps';

/** The one answer to every failed sign-in: it never says which of login id or password was wrong. */
const loginFailed = () => new UnauthenticatedError('Login id, e-mail or password incorrect, or access not possible at the moment');

/** How a session's tokens are minted: still waiting for the TOTP code, or carrying a fresh strong authentication. */
export interface TokenOptions {
  awaitingTotp?: boolean;
  strongAuth?: boolean;
  /** The session's sign-in gave a TOTP code (a fresh strong authentication implies it). */
  secondFactor?: boolean;
  /** A switch of company (checked by its caller) opens a full session whatever the credential's first-sign-in state. */
  fullScope?: boolean;
}

/**
 * Company users' sign-in (password, then the TOTP code when enrolled), sessions, password
 * change, TOTP enrolment and step-up, on the steps shared with operators (`SignInSteps`).
 */
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
    private readonly steps: SignInSteps,
  ) {}

  /** `POST /auth/login`: `login` (login id or e-mail), or `loginId` as clients sent it before e-mail sign-in. */
  loginWith(input: LoginPayload): Promise<SessionTokens> {
    if (input.login !== undefined && input.loginId !== undefined)
      throw new ValidationFailedError([{ field: 'login', messages: ['give login or loginId, not both'] }]);
    if (input.login !== undefined) return this.login(input.login, input.password, input.sourceIp, 'login');
    return this.login(input.loginId ?? '', input.password, input.sourceIp);
  }

  /**
   * Sign-in with what the company's users sign in with (seed 003): the 14-digit login id, or
   * the e-mail where the company says so. An unknown identifier, or one of the kind the
   * company does not use, costs the same argon2 work and gets the same answer as a wrong
   * password: the answers never tell who exists.
   */
  async login(typed: string, password: string, sourceIp?: string, field = 'loginId'): Promise<SessionTokens> {
    // A typo is caught before any lookup (seed 000: 14 digits with a check digit).
    const identifier = parseSignInIdentifier(typed, field);
    const found = identifier.loginId
      ? await this.credentials.findLoginCandidate(identifier.loginId)
      : await this.credentials.findLoginCandidateByEmail(identifier.email!);
    const credential = found?.user.company.signInWith === (identifier.loginId ? 'LOGIN_ID' : 'EMAIL') ? found : null;
    if (!credential) {
      await burnVerification(password);
      await this.steps.auditNow({
        companyId: null,
        actor: 'anonymous',
        action: 'login.failed',
        targetType: 'login',
        sourceIp,
        details: identifier.loginId
          ? { loginId: maskLoginId(identifier.loginId), reason: found ? 'company-signs-in-with-email' : 'unknown-login-id' }
          : { login: 'e-mail', reason: found ? 'company-signs-in-with-login-id' : 'unknown-email' },
      });
      throw loginFailed();
    }
    const now = this.clock.now();
    // Always verify, even when the outcome is already known: equal timing for every refusal.
    const passwordOk = await verifyPassword(credential.passwordHash, password);
    const refusal = this.refusal(credential, now, passwordOk);
    if (refusal) {
      const locked = refusal === 'wrong-password' && (await this.steps.registerFailure(this.credentials, credential.id, now));
      await this.steps.auditNow({
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
    const expiresAt = this.steps.sessionExpiry(awaitingTotp);
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
    if (this.steps.isLocked(c, now)) return 'locked';
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
      await this.steps.auditNow({
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
      throw sessionEnded();
    if (session.operatorId) return this.operatorAuth.continueSession(session, hash);
    const credential = await this.credentials.findWithOwner(session.credentialId);
    if (!credential || this.refusal(credential, now, true)) {
      await this.revoker.revoke({ sessionId: session.id }, 'access-withdrawn');
      throw sessionEnded();
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
    const session = await this.steps.pendingSession(sessionId, (s) => s.userId === userId, now);
    const credential = await this.credentials.findWithOwner(session.credentialId);
    if (!credential || this.refusal(credential, now, true) || !credential.totpSecretSealed)
      return this.steps.endWithdrawnSession(sessionId);
    await this.steps.acceptSignInCode(this.credentials, credential, code, sessionId, now, async (locked) => {
      await this.steps.auditNow({
        companyId: credential.companyId,
        actor: `user:${userId}`,
        action: 'login.totp-failed',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
        details: { sessionId, locked },
      });
      if (locked) await this.recordLockout(credential, sourceIp);
    });
    return this.steps.replaceSession({ sessionId }, 'totp-verified', async (tx) => {
      if (credential.failedAttempts > 0 || credential.lockedUntil)
        await this.credentials.update(tx, credential.id, { failedAttempts: 0, lockedUntil: null });
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
      return this.openSession(tx, credential, credential.user, credential.user.company, sourceIp, { strongAuth: true });
    });
  }

  logout(actor: Actor, sourceIp?: string): Promise<{ loggedOut: true }> {
    const { sessionId, userId, companyId } = this.userActor(actor);
    return this.steps.endSession(sessionId, {
      companyId,
      actor,
      action: 'session.logout',
      targetType: 'session',
      targetId: sessionId,
      sourceIp,
      details: { userId },
    });
  }

  async changePassword(actor: Actor, input: ChangePasswordDto, sourceIp?: string): Promise<SessionTokens> {
    const { credential } = await this.sessionCredential(actor);
    const now = this.clock.now();
    await this.steps.checkCurrentPassword(this.credentials, credential, input.currentPassword, () =>
      this.steps.auditNow({
        companyId: credential.companyId,
        actor,
        action: 'password-change.failed',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
        details: { reason: 'wrong-current-password' },
      }),
    );
    if (credential.passwordIsProvisional && credential.provisionalExpiresAt && credential.provisionalExpiresAt.getTime() <= now.getTime()) {
      throw new RuleViolationError(
        'PROVISIONAL_PASSWORD_EXPIRED',
        'The provisional password has expired: ask your administrator for a new one',
      );
    }
    const recentHashes = [credential.passwordHash, ...(await this.credentials.recentPasswordHashes(credential.id))].slice(
      0,
      PASSWORD_HISTORY_DEPTH,
    );
    const newHash = await this.steps.newPasswordHash(input.newPassword, input.newPasswordConfirmation, {
      loginId: credential.loginId,
      firstName: credential.user.firstName,
      lastName: credential.user.lastName,
      recentHashes,
    });
    return this.steps.replaceSession({ credentialId: credential.id }, 'password-changed', async (tx) => {
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
      await this.events.audit(tx, {
        companyId: credential.companyId,
        actor,
        action: 'credential.password-changed',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
        details: { wasProvisional: credential.passwordIsProvisional },
      });
      return this.openSession(tx, updated, credential.user, credential.user.company, sourceIp);
    });
  }

  async enrolTotp(actor: Actor, sourceIp?: string): Promise<TotpEnrolment> {
    const { credential } = await this.sessionCredential(actor);
    if (credential.passwordIsProvisional)
      throw new RuleViolationError('PASSWORD_CHANGE_REQUIRED', 'Change your provisional password first');
    if (credential.totpEnrolledAt)
      throw new ConflictError('TOTP_ALREADY_ENROLLED', 'Strong authentication is already enrolled; your administrator can reset it');
    const { pendingSealed, enrolment } = this.steps.startTotpEnrolment(credential.loginId);
    await this.transactions.run(async (tx) => {
      await this.credentials.update(tx, credential.id, { totpPendingSealed: pendingSealed });
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
    return enrolment;
  }

  async confirmTotp(actor: Actor, code: string, sourceIp?: string): Promise<SessionTokens> {
    const { credential, sessionId } = await this.sessionCredential(actor);
    if (credential.totpEnrolledAt) throw new ConflictError('TOTP_ALREADY_ENROLLED', 'Strong authentication is already enrolled');
    if (!credential.totpPendingSealed)
      throw new RuleViolationError('TOTP_ENROLMENT_NOT_STARTED', 'Start the enrolment first (POST /auth/totp/enrol)');
    const step = this.steps.confirmedEnrolmentStep(credential.totpPendingSealed, code);
    return this.steps.replaceSession({ sessionId }, 'totp-enrolled', async (tx) => {
      const updated = await this.credentials.update(tx, credential.id, {
        totpSecretSealed: credential.totpPendingSealed,
        totpPendingSealed: null,
        totpEnrolledAt: this.clock.now(),
        totpLastStep: step,
        version: { increment: 1 },
      });
      await this.events.audit(tx, {
        companyId: credential.companyId,
        actor,
        action: 'credential.totp-enrolled',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
      });
      // The confirming code is a fresh strong authentication: the new session starts stepped up.
      return this.openSession(tx, updated, credential.user, credential.user.company, sourceIp, { strongAuth: true });
    });
  }

  /**
   * Step-up (seed 001, "Sécur'Pass"): a fresh TOTP code of the user's own credential,
   * accepted once. Wrong codes count towards the credential's lock-out like passwords.
   * `auditSuccess: false` when the caller's own audit entry records the strong authentication (an approval).
   */
  async verifyStepUp(userId: string, code: string, purpose: string, options: { auditSuccess?: boolean } = {}): Promise<StepUpVerified> {
    const credential = await this.credentials.findCurrentForUser(userId);
    const now = this.clock.now();
    if (!credential || credentialStatus(credential, now) !== 'ACTIVE') throw stepUpFailed();
    if (!credential.totpSecretSealed) throw new DomainError('STRONG_AUTH_NOT_ENROLLED', 403, 'Enrol strong authentication (TOTP) first');
    if (this.steps.isLocked(credential, now)) throw stepUpFailed();
    const check = await this.steps.claimTotpCode(this.credentials, credential, code, now);
    if (!check.accepted) {
      const { locked } = check;
      await this.steps.auditNow({
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
    await this.steps.auditNow({
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
    await this.steps.auditNow({
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

  private userActor(actor: Actor): Extract<Actor, { kind: 'user' }> {
    if (actor.kind !== 'user') throw new UnauthenticatedError('Sign in as a user');
    return actor;
  }

  private async sessionCredential(actor: Actor): Promise<{ credential: CredentialWithOwner; sessionId: string }> {
    const user = this.userActor(actor);
    const session = await this.sessions.findSession(user.sessionId);
    if (!session || session.revokedAt || session.userId !== user.userId) throw sessionEnded();
    const credential = await this.credentials.findWithOwner(session.credentialId);
    if (!credential || credential.status === 'REVOKED') throw sessionEnded();
    return { credential, sessionId: session.id };
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

  /** A new full session of a user's credential (the previous one ended by the caller). */
  async openSession(
    tx: Tx,
    credential: Credential,
    user: User,
    company: Company,
    sourceIp?: string,
    options: TokenOptions = {},
  ): Promise<SessionTokens> {
    const sessionId = randomUUID();
    const expiresAt = this.steps.sessionExpiry(false);
    await this.sessions.createSession(tx, {
      id: sessionId,
      credentialId: credential.id,
      userId: user.id,
      companyId: user.companyId,
      sourceIp,
      expiresAt,
      secondFactor: options.secondFactor ?? options.strongAuth === true,
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
    const scope = options.fullScope ? 'full' : this.scopeOf(credential, company, options.awaitingTotp);
    return this.steps.mintTokens(
      { sub: user.id, cid: user.companyId, ct: user.clientType, sid: sessionId, scope },
      sessionExpiresAt,
      scope !== 'full' && company.requireStrongAuth && !credential.totpEnrolledAt,
      options.strongAuth === true && scope === 'full',
    );
  }
}
