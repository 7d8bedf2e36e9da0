import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { Actor, ChangePasswordDto, SessionScope, SessionTokens, StepUpVerified, TotpEnrolment } from '@procura/contracts';
import { IdentitySession, Operator, Transactions, Tx } from '@procura/database';
import { ConflictError, DomainError, RuleViolationError, UnauthenticatedError, ValidationFailedError } from '@procura/errors';
import { openSecret, sealSecret, signAccessToken } from '@procura/security';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isWellFormedLoginId, maskLoginId } from '../credentials/login-id';
import { burnVerification, hashPassword, verifyPassword } from '../credentials/password-hasher';
import { checkPasswordPolicy } from '../credentials/password-policy';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { OperatorsRepository } from '../operators/operators.repository';
import { Clock } from '../shared/clock';
import { SessionRevoker } from './session-revoker';
import { SessionsRepository } from './sessions.repository';
import { acceptTotp, newTotpSecret, totpUri } from './totp';

/** How long a password-only session may wait for its TOTP code (as for users). */
const TOTP_VERIFICATION_SECONDS = 300;

type OperatorActor = Extract<Actor, { kind: 'operator' }>;

/** The one answer to every failed operator sign-in: never which of login, password or code was wrong. */
const loginFailed = () => new UnauthenticatedError('Login, password or code incorrect, or access not possible at the moment');
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const stepUpFailed = () => new DomainError('STEP_UP_FAILED', 403, 'The strong-authentication code is wrong, expired or was already used');

/**
 * Operators' sign-in: the same machinery as company users' (argon2id passwords and the
 * password policy, RFC 6238 codes, lock-out, the sessions and rotating refresh tokens
 * tables, revocation published to Redis), with two differences: an operator signs in with
 * their login id or their e-mail, and strong authentication is mandatory — enrolled at the
 * first sign-in, then a code at every sign-in.
 */
@Injectable()
export class OperatorAuthService {
  private readonly logger = new Logger(OperatorAuthService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly config: AppConfig,
    private readonly operators: OperatorsRepository,
    private readonly sessions: SessionsRepository,
    private readonly revoker: SessionRevoker,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
    private readonly clock: Clock,
  ) {}

  async login(login: string, password: string, totpCode: string | undefined, sourceIp?: string): Promise<SessionTokens> {
    const lookup = this.parseLogin(login);
    const operator = await this.operators.findForLogin(lookup);
    if (!operator?.passwordHash) {
      // Same cost as a wrong password: the answer time does not tell whether the login exists.
      await burnVerification(password);
      await this.audit({
        actor: 'anonymous',
        action: 'operator.login.failed',
        targetType: 'login',
        sourceIp,
        details: { login: lookup.loginId ? maskLoginId(lookup.loginId) : 'e-mail', reason: 'unknown-login' },
      });
      throw loginFailed();
    }
    const now = this.clock.now();
    const passwordOk = await verifyPassword(operator.passwordHash, password);
    // Enrolled: the code comes with the password (one call) or after it (POST /auth/totp/verify).
    const awaitingTotp = !operator.passwordIsProvisional && operator.totpEnrolledAt !== null && totpCode === undefined;
    const refusal =
      this.refusal(operator, now, passwordOk) ?? (awaitingTotp ? undefined : await this.secondFactorRefusal(operator, totpCode, now));
    if (refusal) {
      let locked = false;
      if (refusal === 'wrong-password' || refusal === 'wrong-code') {
        locked = await this.operators.registerFailure(operator.id, this.config.loginMaxFailures, this.lockUntil(now));
      }
      await this.audit({
        actor: `operator:${operator.id}`,
        action: 'operator.login.failed',
        targetType: 'operator',
        targetId: operator.id,
        sourceIp,
        details: { reason: refusal, locked },
      });
      if (locked) this.logger.warn({ msg: 'operator locked after repeated failures', operatorId: operator.id });
      throw loginFailed();
    }
    // Failures are forgotten only when the sign-in is complete (code included): a known password
    // must not reset the count of wrong codes.
    if (!awaitingTotp && (operator.failedAttempts > 0 || operator.lockedUntil)) await this.operators.clearFailures(operator.id);
    const tokens = await this.transactions.run(async (tx) => {
      const opened = await this.openSession(tx, operator, sourceIp, awaitingTotp);
      await this.events.audit(tx, {
        companyId: null,
        actor: `operator:${operator.id}`,
        action: 'operator.login.succeeded',
        targetType: 'operator',
        targetId: operator.id,
        sourceIp,
        details: { scope: opened.scope },
      });
      return opened;
    });
    this.relay.nudge();
    return tokens;
  }

  /** Login id (14 digits, check digit verified before any lookup) or e-mail. */
  private parseLogin(login: string): { loginId?: string; email?: string } {
    const trimmed = login.trim();
    if (/^\d{14}$/.test(trimmed)) {
      if (!isWellFormedLoginId(trimmed))
        throw new ValidationFailedError([{ field: 'login', messages: ['login has a wrong check digit: check the 14 digits'] }]);
      return { loginId: trimmed };
    }
    if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(trimmed)) return { email: trimmed.toLowerCase() };
    throw new ValidationFailedError([{ field: 'login', messages: ['login must be a 14-digit login id or an e-mail address'] }]);
  }

  private refusal(o: Operator, now: Date, passwordOk: boolean): string | undefined {
    if (o.lockedUntil && o.lockedUntil.getTime() > now.getTime()) return 'locked';
    if (!passwordOk) return 'wrong-password';
    if (o.status !== 'ACTIVE') return `operator-${o.status.toLowerCase()}`;
    if (o.passwordIsProvisional && o.provisionalExpiresAt && o.provisionalExpiresAt.getTime() <= now.getTime())
      return 'provisional-password-expired';
    return undefined;
  }

  /** Once enrolled, every sign-in needs a fresh code (each accepted once). */
  private async secondFactorRefusal(o: Operator, code: string | undefined, now: Date): Promise<string | undefined> {
    if (o.passwordIsProvisional || !o.totpEnrolledAt || !o.totpSecretSealed) return undefined;
    if (!code) return 'wrong-code';
    const step = acceptTotp(openSecret({ sealed: o.totpSecretSealed }, this.config.secretsKey), code, now.getTime(), o.totpLastStep);
    if (step === undefined || !(await this.operators.claimTotpStep(o.id, step))) return 'wrong-code';
    return undefined;
  }

  /** `/auth/refresh` for a session of an operator (found by AuthService). */
  async continueSession(session: IdentitySession, refreshTokenHash: string): Promise<SessionTokens> {
    const operator = session.operatorId ? await this.operators.findById(session.operatorId) : null;
    const now = this.clock.now();
    if (!operator || operator.status !== 'ACTIVE' || (operator.lockedUntil && operator.lockedUntil.getTime() > now.getTime())) {
      await this.revoker.revoke({ sessionId: session.id }, 'access-withdrawn');
      throw new UnauthenticatedError('Session ended: sign in again');
    }
    return this.transactions.run(async (tx) => {
      if (!(await this.sessions.useRefreshToken(tx, refreshTokenHash, now))) throw new UnauthenticatedError('Invalid refresh token');
      // A session still waiting for its code stays restricted, whatever the refreshes.
      return this.tokensFor(tx, session.id, operator, session.expiresAt, session.awaitingTotp);
    });
  }

  /** `/auth/totp/verify` for an operator: the code after the password. A wrong code counts towards the lock-out. */
  async verifyTotp(actor: OperatorActor, code: string, sourceIp?: string): Promise<SessionTokens> {
    const sessionId = this.requireSession(actor);
    const now = this.clock.now();
    const session = await this.sessions.findSession(sessionId);
    if (!session || session.revokedAt || session.operatorId !== actor.operatorId || session.expiresAt.getTime() <= now.getTime())
      throw new UnauthenticatedError('Session ended: sign in again');
    if (!session.awaitingTotp) throw new ConflictError('TOTP_ALREADY_VERIFIED', 'This session is already signed in');
    const operator = await this.operators.findById(actor.operatorId);
    if (!operator || this.refusal(operator, now, true) || !operator.totpSecretSealed) {
      await this.revoker.revoke({ sessionId }, 'access-withdrawn');
      throw new UnauthenticatedError('Session ended: sign in again');
    }
    if (await this.secondFactorRefusal(operator, code, now)) {
      const locked = await this.operators.registerFailure(operator.id, this.config.loginMaxFailures, this.lockUntil(now));
      await this.audit({
        actor: `operator:${operator.id}`,
        action: 'operator.login.totp-failed',
        targetType: 'operator',
        targetId: operator.id,
        sourceIp,
        details: { sessionId, locked },
      });
      if (locked) {
        await this.revoker.revoke({ sessionId }, 'locked');
        throw new UnauthenticatedError('Session ended: sign in again');
      }
      throw new RuleViolationError('TOTP_CODE_INVALID', 'The code does not match: type the code your authenticator app shows now', [
        { field: 'code', messages: ['code does not match'] },
      ]);
    }
    const { tokens, ended } = await this.transactions.run(async (tx) => {
      if (operator.failedAttempts > 0 || operator.lockedUntil)
        await this.operators.update(tx, operator.id, { failedAttempts: 0, lockedUntil: null });
      const endedSessions = await this.revoker.revokeInTx(tx, { sessionId }, 'totp-verified');
      await this.events.audit(tx, {
        companyId: null,
        actor: `operator:${operator.id}`,
        action: 'operator.login.totp-verified',
        targetType: 'operator',
        targetId: operator.id,
        sourceIp,
        details: { passwordSessionId: sessionId },
      });
      return { tokens: await this.openSession(tx, operator, sourceIp), ended: endedSessions };
    });
    await this.revoker.publish(ended);
    this.relay.nudge();
    return tokens;
  }

  async logout(actor: OperatorActor, sourceIp?: string): Promise<{ loggedOut: true }> {
    const sessionId = this.requireSession(actor);
    const ids = await this.transactions.run(async (tx) => {
      const revoked = await this.revoker.revokeInTx(tx, { sessionId }, 'logout');
      await this.events.audit(tx, {
        companyId: null,
        actor,
        action: 'operator.logout',
        targetType: 'session',
        targetId: sessionId,
        sourceIp,
      });
      return revoked;
    });
    await this.revoker.publish(ids.length ? ids : [sessionId]);
    this.relay.nudge();
    return { loggedOut: true };
  }

  async changePassword(actor: OperatorActor, input: ChangePasswordDto, sourceIp?: string): Promise<SessionTokens> {
    const operator = await this.sessionOperator(actor);
    const now = this.clock.now();
    if (!(await verifyPassword(operator.passwordHash!, input.currentPassword))) {
      await this.operators.registerFailure(operator.id, this.config.loginMaxFailures, this.lockUntil(now));
      throw new RuleViolationError('CURRENT_PASSWORD_INCORRECT', 'The current password is incorrect', [
        { field: 'currentPassword', messages: ['currentPassword is incorrect'] },
      ]);
    }
    const [firstName, ...rest] = operator.name.split(/\s+/);
    const errors = checkPasswordPolicy({
      newPassword: input.newPassword,
      confirmation: input.newPasswordConfirmation,
      loginId: operator.loginId ?? undefined,
      firstName,
      lastName: rest.join(' '),
      reusesRecentPassword: await verifyPassword(operator.passwordHash!, input.newPassword),
    });
    if (errors.length) throw new ValidationFailedError(errors, 'The new password does not meet the password policy');
    const newHash = await hashPassword(input.newPassword);
    const { tokens, ended } = await this.transactions.run(async (tx) => {
      const updated = await this.operators.update(tx, operator.id, {
        passwordHash: newHash,
        passwordIsProvisional: false,
        provisionalExpiresAt: null,
        passwordChangedAt: now,
        failedAttempts: 0,
        lockedUntil: null,
        version: { increment: 1 },
      });
      const endedSessions = await this.revoker.revokeInTx(tx, { operatorId: operator.id }, 'password-changed');
      await this.events.audit(tx, {
        companyId: null,
        actor,
        action: 'operator.password-changed',
        targetType: 'operator',
        targetId: operator.id,
        sourceIp,
        details: { wasProvisional: operator.passwordIsProvisional },
      });
      return { tokens: await this.openSession(tx, updated, sourceIp), ended: endedSessions };
    });
    await this.revoker.publish(ended);
    this.relay.nudge();
    return tokens;
  }

  async enrolTotp(actor: OperatorActor, sourceIp?: string): Promise<TotpEnrolment> {
    const operator = await this.sessionOperator(actor);
    if (operator.passwordIsProvisional) throw new RuleViolationError('PASSWORD_CHANGE_REQUIRED', 'Change your provisional password first');
    if (operator.totpEnrolledAt)
      throw new ConflictError('TOTP_ALREADY_ENROLLED', 'Strong authentication is already enrolled; your supervisor can reset it');
    const secret = newTotpSecret();
    await this.transactions.run(async (tx) => {
      await this.operators.update(tx, operator.id, { totpPendingSealed: sealSecret(secret, this.config.secretsKey).sealed });
      await this.events.audit(tx, {
        companyId: null,
        actor,
        action: 'operator.totp-enrolment-started',
        targetType: 'operator',
        targetId: operator.id,
        sourceIp,
      });
    });
    this.relay.nudge();
    return { otpauthUri: totpUri(operator.loginId ?? operator.email, secret), secret };
  }

  async confirmTotp(actor: OperatorActor, code: string, sourceIp?: string): Promise<SessionTokens> {
    const operator = await this.sessionOperator(actor);
    if (operator.totpEnrolledAt) throw new ConflictError('TOTP_ALREADY_ENROLLED', 'Strong authentication is already enrolled');
    if (!operator.totpPendingSealed)
      throw new RuleViolationError('TOTP_ENROLMENT_NOT_STARTED', 'Start the enrolment first (POST /auth/totp/enrol)');
    const secret = openSecret({ sealed: operator.totpPendingSealed }, this.config.secretsKey);
    const step = acceptTotp(secret, code, this.clock.now().getTime());
    if (step === undefined)
      throw new RuleViolationError(
        'TOTP_CODE_INVALID',
        'The code does not match: check the time of your phone and type the code shown now',
        [{ field: 'code', messages: ['code does not match'] }],
      );
    const { tokens, ended } = await this.transactions.run(async (tx) => {
      const updated = await this.operators.update(tx, operator.id, {
        totpSecretSealed: operator.totpPendingSealed,
        totpPendingSealed: null,
        totpEnrolledAt: this.clock.now(),
        totpLastStep: step,
        version: { increment: 1 },
      });
      const endedSessions = await this.revoker.revokeInTx(tx, { sessionId: actor.sessionId }, 'totp-enrolled');
      await this.events.audit(tx, {
        companyId: null,
        actor,
        action: 'operator.totp-enrolled',
        targetType: 'operator',
        targetId: operator.id,
        sourceIp,
      });
      return { tokens: await this.openSession(tx, updated, sourceIp), ended: endedSessions };
    });
    await this.revoker.publish(ended);
    this.relay.nudge();
    return tokens;
  }

  /**
   * Step-up: a fresh code of the operator's own authenticator, accepted once. Only a
   * signed-in operator can give one: an API key cannot do what needs it.
   */
  async verifyStepUp(actor: OperatorActor, code: string, purpose: string): Promise<StepUpVerified> {
    if (!actor.sessionId) throw new DomainError('STEP_UP_REQUIRED', 403, 'Sign in interactively: an API key cannot confirm this');
    const operator = await this.operators.findById(actor.operatorId);
    const now = this.clock.now();
    if (!operator || operator.status !== 'ACTIVE' || !operator.totpSecretSealed) throw stepUpFailed();
    if (operator.lockedUntil && operator.lockedUntil.getTime() > now.getTime()) throw stepUpFailed();
    const step = acceptTotp(
      openSecret({ sealed: operator.totpSecretSealed }, this.config.secretsKey),
      code,
      now.getTime(),
      operator.totpLastStep,
    );
    if (step === undefined || !(await this.operators.claimTotpStep(operator.id, step))) {
      const locked = await this.operators.registerFailure(operator.id, this.config.loginMaxFailures, this.lockUntil(now));
      await this.audit({
        actor: `operator:${operator.id}`,
        action: 'operator.step-up.failed',
        targetType: 'operator',
        targetId: operator.id,
        details: { purpose, locked },
      });
      throw stepUpFailed();
    }
    return { verifiedAt: now.toISOString() };
  }

  /** Ends every session of an operator (suspension, removal). Returns the ids to publish after the commit. */
  endSessionsInTx(tx: Tx, operatorId: string, reason: string): Promise<string[]> {
    return this.revoker.revokeInTx(tx, { operatorId }, reason);
  }

  publishEnded(ids: string[]): Promise<void> {
    return this.revoker.publish(ids);
  }

  /** A reactivated operator's API keys work again (their suspension marks lifted). */
  liftKeyMarks(apiKeyIds: string[]): Promise<void> {
    return this.revoker.unpublish(apiKeyIds);
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────

  private requireSession(actor: OperatorActor): string {
    if (!actor.sessionId) throw new UnauthenticatedError('Sign in interactively: this is not for API keys');
    return actor.sessionId;
  }

  private async sessionOperator(actor: OperatorActor): Promise<Operator & { passwordHash: string }> {
    const sessionId = this.requireSession(actor);
    const session = await this.sessions.findSession(sessionId);
    if (!session || session.revokedAt || session.operatorId !== actor.operatorId)
      throw new UnauthenticatedError('Session ended: sign in again');
    const operator = await this.operators.findById(actor.operatorId);
    if (!operator?.passwordHash || operator.status !== 'ACTIVE') throw new UnauthenticatedError('Session ended: sign in again');
    return operator as Operator & { passwordHash: string };
  }

  private lockUntil(now: Date): Date {
    return new Date(now.getTime() + this.config.loginLockoutMinutes * 60_000);
  }

  scopeOf(operator: Pick<Operator, 'passwordIsProvisional' | 'totpEnrolledAt'>, awaitingTotp = false): SessionScope {
    if (operator.passwordIsProvisional) return 'password-change';
    if (awaitingTotp) return 'totp-verification';
    // Mandatory for every operator, whatever a client company requires of its users.
    if (!operator.totpEnrolledAt) return 'totp-enrolment';
    return 'full';
  }

  private async openSession(tx: Tx, operator: Operator, sourceIp?: string, awaitingTotp = false): Promise<SessionTokens> {
    const sessionId = randomUUID();
    const lifetimeSeconds = awaitingTotp
      ? Math.min(TOTP_VERIFICATION_SECONDS, this.config.refreshTokenTtlSeconds)
      : this.config.refreshTokenTtlSeconds;
    const expiresAt = new Date(this.clock.now().getTime() + lifetimeSeconds * 1000);
    await this.sessions.createOperatorSession(tx, { id: sessionId, operatorId: operator.id, sourceIp, expiresAt, awaitingTotp });
    return this.tokensFor(tx, sessionId, operator, expiresAt, awaitingTotp);
  }

  private async tokensFor(
    tx: Tx,
    sessionId: string,
    operator: Operator,
    sessionExpiresAt: Date,
    awaitingTotp = false,
  ): Promise<SessionTokens> {
    const scope = this.scopeOf(operator, awaitingTotp);
    const nowS = Math.floor(this.clock.now().getTime() / 1000);
    const accessToken = signAccessToken(
      {
        sub: operator.id,
        cid: operator.organisationId,
        ct: 'OPERATOR',
        pk: 'operator',
        sid: sessionId,
        scope,
        iat: nowS,
        exp: nowS + this.config.accessTokenTtlSeconds,
      },
      this.config.authTokenSecret,
    );
    const refreshToken = randomBytes(32).toString('base64url');
    await this.sessions.addRefreshToken(tx, { tokenHash: sha256(refreshToken), sessionId, expiresAt: sessionExpiresAt });
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.config.accessTokenTtlSeconds,
      scope,
      passwordChangeRequired: scope === 'password-change',
      totpEnrolmentRequired: scope !== 'full' && !operator.totpEnrolledAt,
      totpCodeRequired: scope === 'totp-verification',
      sessionExpiresAt: sessionExpiresAt.toISOString(),
    };
  }

  private async audit(input: Omit<Parameters<IdentityEvents['audit']>[1], 'companyId'>): Promise<void> {
    await this.transactions.run((tx) => this.events.audit(tx, { companyId: null, ...input }));
    this.relay.nudge();
  }
}
