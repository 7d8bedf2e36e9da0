import { Injectable, Logger } from '@nestjs/common';
import { Actor, ChangePasswordDto, SessionScope, SessionTokens, StepUpVerified, TotpEnrolment } from '@procura/contracts';
import { IdentitySession, Operator, Transactions, Tx } from '@procura/database';
import { ConflictError, DomainError, RuleViolationError, UnauthenticatedError } from '@procura/errors';
import { randomUUID } from 'node:crypto';
import { maskLoginId, parseSignInIdentifier } from '../credentials/login-id';
import { burnVerification, verifyPassword } from '../credentials/password-hasher';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { OperatorsRepository } from '../operators/operators.repository';
import { Clock } from '../shared/clock';
import { SessionRevoker } from './session-revoker';
import { SessionsRepository } from './sessions.repository';
import { sessionEnded, SignInSteps, stepUpFailed } from './sign-in-steps';

type OperatorActor = Extract<Actor, { kind: 'operator' }>;

/** The one answer to every failed operator sign-in: never which of login, password or code was wrong. */
const loginFailed = () => new UnauthenticatedError('Login, password or code incorrect, or access not possible at the moment');

/**
 * Operators' sign-in: the steps company users go through (`SignInSteps`: argon2id passwords
 * and the password policy, RFC 6238 codes, lock-out, the sessions and rotating refresh
 * tokens tables, revocation published to Redis), with two differences: an operator signs in
 * with their login id or their e-mail, and strong authentication is mandatory — enrolled at
 * the first sign-in, then a code at every sign-in.
 */
@Injectable()
export class OperatorAuthService {
  private readonly logger = new Logger(OperatorAuthService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly operators: OperatorsRepository,
    private readonly sessions: SessionsRepository,
    private readonly revoker: SessionRevoker,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
    private readonly clock: Clock,
    private readonly steps: SignInSteps,
  ) {}

  async login(login: string, password: string, totpCode: string | undefined, sourceIp?: string): Promise<SessionTokens> {
    const lookup = parseSignInIdentifier(login, 'login');
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
    let refusal = this.refusal(operator, now, passwordOk);
    let locked = refusal === 'wrong-password' && (await this.steps.registerFailure(this.operators, operator.id, now));
    if (!refusal && !awaitingTotp) ({ refusal, locked } = await this.secondFactor(operator, totpCode, now));
    if (refusal) {
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

  private refusal(o: Operator, now: Date, passwordOk: boolean): string | undefined {
    if (this.steps.isLocked(o, now)) return 'locked';
    if (!passwordOk) return 'wrong-password';
    if (o.status !== 'ACTIVE') return `operator-${o.status.toLowerCase()}`;
    if (o.passwordIsProvisional && o.provisionalExpiresAt && o.provisionalExpiresAt.getTime() <= now.getTime())
      return 'provisional-password-expired';
    return undefined;
  }

  /** Once enrolled, every sign-in needs a fresh code (each accepted once); a missing or wrong one counts as a failure. */
  private async secondFactor(o: Operator, code: string | undefined, now: Date): Promise<{ refusal?: string; locked: boolean }> {
    if (o.passwordIsProvisional || !o.totpEnrolledAt || !o.totpSecretSealed) return { locked: false };
    const check = code
      ? await this.steps.claimTotpCode(this.operators, o, code, now)
      : { accepted: false as const, locked: await this.steps.registerFailure(this.operators, o.id, now) };
    return check.accepted ? { locked: false } : { refusal: 'wrong-code', locked: check.locked };
  }

  /** `/auth/refresh` for a session of an operator (found by AuthService). */
  async continueSession(session: IdentitySession, refreshTokenHash: string): Promise<SessionTokens> {
    const operator = session.operatorId ? await this.operators.findById(session.operatorId) : null;
    const now = this.clock.now();
    if (!operator || operator.status !== 'ACTIVE' || this.steps.isLocked(operator, now)) {
      await this.revoker.revoke({ sessionId: session.id }, 'access-withdrawn');
      throw sessionEnded();
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
    await this.steps.pendingSession(sessionId, (s) => s.operatorId === actor.operatorId, now);
    const operator = await this.operators.findById(actor.operatorId);
    if (!operator || this.refusal(operator, now, true) || !operator.totpSecretSealed) return this.steps.endWithdrawnSession(sessionId);
    await this.steps.acceptSignInCode(this.operators, operator, code, sessionId, now, (locked) =>
      this.audit({
        actor: `operator:${operator.id}`,
        action: 'operator.login.totp-failed',
        targetType: 'operator',
        targetId: operator.id,
        sourceIp,
        details: { sessionId, locked },
      }),
    );
    return this.steps.replaceSession({ sessionId }, 'totp-verified', async (tx) => {
      if (operator.failedAttempts > 0 || operator.lockedUntil)
        await this.operators.update(tx, operator.id, { failedAttempts: 0, lockedUntil: null });
      await this.events.audit(tx, {
        companyId: null,
        actor: `operator:${operator.id}`,
        action: 'operator.login.totp-verified',
        targetType: 'operator',
        targetId: operator.id,
        sourceIp,
        details: { passwordSessionId: sessionId },
      });
      return this.openSession(tx, operator, sourceIp);
    });
  }

  logout(actor: OperatorActor, sourceIp?: string): Promise<{ loggedOut: true }> {
    const sessionId = this.requireSession(actor);
    return this.steps.endSession(sessionId, {
      companyId: null,
      actor,
      action: 'operator.logout',
      targetType: 'session',
      targetId: sessionId,
      sourceIp,
    });
  }

  async changePassword(actor: OperatorActor, input: ChangePasswordDto, sourceIp?: string): Promise<SessionTokens> {
    const operator = await this.sessionOperator(actor);
    const now = this.clock.now();
    await this.steps.checkCurrentPassword(this.operators, operator, input.currentPassword);
    const [firstName, ...rest] = operator.name.split(/\s+/);
    const newHash = await this.steps.newPasswordHash(input.newPassword, input.newPasswordConfirmation, {
      loginId: operator.loginId ?? undefined,
      firstName,
      lastName: rest.join(' '),
      recentHashes: [operator.passwordHash],
    });
    return this.steps.replaceSession({ operatorId: operator.id }, 'password-changed', async (tx) => {
      const updated = await this.operators.update(tx, operator.id, {
        passwordHash: newHash,
        passwordIsProvisional: false,
        provisionalExpiresAt: null,
        passwordChangedAt: now,
        failedAttempts: 0,
        lockedUntil: null,
        version: { increment: 1 },
      });
      await this.events.audit(tx, {
        companyId: null,
        actor,
        action: 'operator.password-changed',
        targetType: 'operator',
        targetId: operator.id,
        sourceIp,
        details: { wasProvisional: operator.passwordIsProvisional },
      });
      return this.openSession(tx, updated, sourceIp);
    });
  }

  async enrolTotp(actor: OperatorActor, sourceIp?: string): Promise<TotpEnrolment> {
    const operator = await this.sessionOperator(actor);
    if (operator.passwordIsProvisional) throw new RuleViolationError('PASSWORD_CHANGE_REQUIRED', 'Change your provisional password first');
    if (operator.totpEnrolledAt)
      throw new ConflictError('TOTP_ALREADY_ENROLLED', 'Strong authentication is already enrolled; your supervisor can reset it');
    const { pendingSealed, enrolment } = this.steps.startTotpEnrolment(operator.loginId ?? operator.email);
    await this.transactions.run(async (tx) => {
      await this.operators.update(tx, operator.id, { totpPendingSealed: pendingSealed });
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
    return enrolment;
  }

  async confirmTotp(actor: OperatorActor, code: string, sourceIp?: string): Promise<SessionTokens> {
    const operator = await this.sessionOperator(actor);
    if (operator.totpEnrolledAt) throw new ConflictError('TOTP_ALREADY_ENROLLED', 'Strong authentication is already enrolled');
    if (!operator.totpPendingSealed)
      throw new RuleViolationError('TOTP_ENROLMENT_NOT_STARTED', 'Start the enrolment first (POST /auth/totp/enrol)');
    const step = this.steps.confirmedEnrolmentStep(operator.totpPendingSealed, code);
    return this.steps.replaceSession({ sessionId: actor.sessionId }, 'totp-enrolled', async (tx) => {
      const updated = await this.operators.update(tx, operator.id, {
        totpSecretSealed: operator.totpPendingSealed,
        totpPendingSealed: null,
        totpEnrolledAt: this.clock.now(),
        totpLastStep: step,
        version: { increment: 1 },
      });
      await this.events.audit(tx, {
        companyId: null,
        actor,
        action: 'operator.totp-enrolled',
        targetType: 'operator',
        targetId: operator.id,
        sourceIp,
      });
      return this.openSession(tx, updated, sourceIp);
    });
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
    if (this.steps.isLocked(operator, now)) throw stepUpFailed();
    const check = await this.steps.claimTotpCode(this.operators, operator, code, now);
    if (!check.accepted) {
      await this.audit({
        actor: `operator:${operator.id}`,
        action: 'operator.step-up.failed',
        targetType: 'operator',
        targetId: operator.id,
        details: { purpose, locked: check.locked },
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
    if (!session || session.revokedAt || session.operatorId !== actor.operatorId) throw sessionEnded();
    const operator = await this.operators.findById(actor.operatorId);
    if (!operator?.passwordHash || operator.status !== 'ACTIVE') throw sessionEnded();
    return operator as Operator & { passwordHash: string };
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
    const expiresAt = this.steps.sessionExpiry(awaitingTotp);
    await this.sessions.createOperatorSession(tx, { id: sessionId, operatorId: operator.id, sourceIp, expiresAt, awaitingTotp });
    return this.tokensFor(tx, sessionId, operator, expiresAt, awaitingTotp);
  }

  private tokensFor(tx: Tx, sessionId: string, operator: Operator, sessionExpiresAt: Date, awaitingTotp = false): Promise<SessionTokens> {
    const scope = this.scopeOf(operator, awaitingTotp);
    return this.steps.issueTokens(
      tx,
      { sub: operator.id, cid: operator.organisationId, ct: 'OPERATOR', pk: 'operator', sid: sessionId, scope },
      sessionExpiresAt,
      scope !== 'full' && !operator.totpEnrolledAt,
    );
  }

  private audit(input: Omit<Parameters<IdentityEvents['audit']>[1], 'companyId'>): Promise<void> {
    return this.steps.auditNow({ companyId: null, ...input });
  }
}
