import { Injectable } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { SessionScope, SessionTokens, TotpEnrolment } from '@procura/contracts';
import { IdentitySession, Transactions, Tx } from '@procura/database';
import { ConflictError, DomainError, RuleViolationError, UnauthenticatedError, ValidationFailedError } from '@procura/errors';
import { AccessTokenClaims, openSecret, sealSecret, signAccessToken } from '@procura/security';
import { createHash, randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../credentials/password-hasher';
import { checkPasswordPolicy } from '../credentials/password-policy';
import { AuditInput, IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { SessionRevoker } from './session-revoker';
import { SessionsRepository } from './sessions.repository';
import { acceptTotp, newTotpSecret, totpUri } from './totp';

/** How long the password half of a sign-in waits for the TOTP code (either principal). */
const TOTP_VERIFICATION_SECONDS = 300;

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const sessionEnded = () => new UnauthenticatedError('Session ended: sign in again');

export const stepUpFailed = () =>
  new DomainError('STEP_UP_FAILED', 403, 'The strong-authentication code is wrong, expired or was already used');

const signInCodeInvalid = () =>
  new RuleViolationError('TOTP_CODE_INVALID', 'The code does not match: type the code your authenticator app shows now', [
    { field: 'code', messages: ['code does not match'] },
  ]);

/**
 * Where a principal's secrets live: a company user's credential (`CredentialsRepository`) or
 * an operator (`OperatorsRepository`). The two tables keep their own lock-out arithmetic.
 */
export interface SecretsStore {
  /** Counts a failure; true when this failure locked the principal. */
  registerFailure(id: string, maxFailures: number, lockUntil: Date): Promise<boolean>;
  /** Accepts a TOTP time step once: false when it (or a later one) was already used. */
  claimTotpStep(id: string, step: number): Promise<boolean>;
}

/** What the steps read of a principal's record (a user's credential, an operator). */
export interface SecretsHolder {
  id: string;
  totpSecretSealed: string | null;
  totpLastStep: number;
  lockedUntil: Date | null;
}

/** What the password policy weighs besides the new password itself. */
export interface PasswordOwner {
  loginId?: string;
  firstName: string;
  lastName: string;
  /** The current hash first, then the remembered ones: none may be chosen again. */
  recentHashes: string[];
}

/**
 * The sign-in and session steps both principals (company users and operators) go through:
 * lock-out, TOTP codes each accepted once, TOTP enrolment, new passwords under the policy,
 * sessions replaced in one transaction, token minting. Each principal's service keeps only
 * what differs: where its secrets live, its refusals and its audit wording. Written once so
 * that a security fix here holds for both.
 */
@Injectable()
export class SignInSteps {
  constructor(
    private readonly transactions: Transactions,
    private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
    private readonly revoker: SessionRevoker,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
    private readonly clock: Clock,
  ) {}

  isLocked(holder: Pick<SecretsHolder, 'lockedUntil'>, now: Date): boolean {
    return holder.lockedUntil !== null && holder.lockedUntil.getTime() > now.getTime();
  }

  registerFailure(store: SecretsStore, id: string, now: Date): Promise<boolean> {
    return store.registerFailure(id, this.config.loginMaxFailures, new Date(now.getTime() + this.config.loginLockoutMinutes * 60_000));
  }

  /**
   * A TOTP code of the holder's enrolled secret, valid now and newer than the last one used,
   * claimed so that it is never accepted again; a refused code counts towards the lock-out
   * (sign-in and step-up alike).
   */
  async claimTotpCode(
    store: SecretsStore,
    holder: SecretsHolder,
    code: string,
    now: Date,
  ): Promise<{ accepted: true } | { accepted: false; locked: boolean }> {
    const secret = openSecret({ sealed: holder.totpSecretSealed! }, this.config.secretsKey);
    const step = acceptTotp(secret, code, now.getTime(), holder.totpLastStep);
    if (step !== undefined && (await store.claimTotpStep(holder.id, step))) return { accepted: true };
    return { accepted: false, locked: await this.registerFailure(store, holder.id, now) };
  }

  /**
   * The session the password opened, still waiting for its code (`/auth/totp/verify`);
   * `owns` says whether it is the caller's.
   */
  async pendingSession(sessionId: string, owns: (session: IdentitySession) => boolean, now: Date): Promise<IdentitySession> {
    const session = await this.sessions.findSession(sessionId);
    if (!session || session.revokedAt || !owns(session) || session.expiresAt.getTime() <= now.getTime()) throw sessionEnded();
    if (!session.awaitingTotp) throw new ConflictError('TOTP_ALREADY_VERIFIED', 'This session is already signed in');
    return session;
  }

  /** Locked, revoked, suspended or reset meanwhile: this sign-in is over. */
  async endWithdrawnSession(sessionId: string): Promise<never> {
    await this.revoker.revoke({ sessionId }, 'access-withdrawn');
    throw sessionEnded();
  }

  /**
   * The code after the password. A refused code is audited by the caller (`onRefused`); the
   * code that locks the principal ends the pending session too.
   */
  async acceptSignInCode(
    store: SecretsStore,
    holder: SecretsHolder,
    code: string,
    sessionId: string,
    now: Date,
    onRefused: (locked: boolean) => Promise<void>,
  ): Promise<void> {
    const check = await this.claimTotpCode(store, holder, code, now);
    if (check.accepted) return;
    await onRefused(check.locked);
    if (!check.locked) throw signInCodeInvalid();
    await this.revoker.revoke({ sessionId }, 'locked');
    throw sessionEnded();
  }

  /** Starts an enrolment: the secret to show once and its sealed form to keep as pending. */
  startTotpEnrolment(label: string): { pendingSealed: string; enrolment: TotpEnrolment } {
    const secret = newTotpSecret();
    return { pendingSealed: sealSecret(secret, this.config.secretsKey).sealed, enrolment: { otpauthUri: totpUri(label, secret), secret } };
  }

  /** The time step of a code proving the pending secret reached the authenticator app. */
  confirmedEnrolmentStep(pendingSealed: string, code: string): number {
    const step = acceptTotp(openSecret({ sealed: pendingSealed }, this.config.secretsKey), code, this.clock.now().getTime());
    if (step === undefined)
      throw new RuleViolationError(
        'TOTP_CODE_INVALID',
        'The code does not match: check the time of your phone and type the code shown now',
        [{ field: 'code', messages: ['code does not match'] }],
      );
    return step;
  }

  /** The current password given to change it; a wrong one counts towards the lock-out. */
  async checkCurrentPassword(
    store: SecretsStore,
    holder: { id: string; passwordHash: string },
    currentPassword: string,
    onRefused: () => Promise<void> = async () => undefined,
  ): Promise<void> {
    if (await verifyPassword(holder.passwordHash, currentPassword)) return;
    await this.registerFailure(store, holder.id, this.clock.now());
    await onRefused();
    throw new RuleViolationError('CURRENT_PASSWORD_INCORRECT', 'The current password is incorrect', [
      { field: 'currentPassword', messages: ['currentPassword is incorrect'] },
    ]);
  }

  /** The hash of a new password that meets the policy (seed 000), or the policy's refusals field by field. */
  async newPasswordHash(newPassword: string, confirmation: string, owner: PasswordOwner): Promise<string> {
    let reuses = false;
    for (const hash of owner.recentHashes) if (!reuses) reuses = await verifyPassword(hash, newPassword);
    const errors = checkPasswordPolicy({
      newPassword,
      confirmation,
      loginId: owner.loginId,
      firstName: owner.firstName,
      lastName: owner.lastName,
      reusesRecentPassword: reuses,
    });
    if (errors.length) throw new ValidationFailedError(errors, 'The new password does not meet the password policy');
    return hashPassword(newPassword);
  }

  /**
   * Ends the sessions `ending` names and opens the one `open` writes, in one transaction
   * (code verified, password changed, TOTP enrolled); the ended ones are published after the commit.
   */
  async replaceSession(
    ending: Parameters<SessionRevoker['revokeInTx']>[1],
    reason: string,
    open: (tx: Tx) => Promise<SessionTokens>,
  ): Promise<SessionTokens> {
    const { tokens, ended } = await this.transactions.run(async (tx) => {
      const endedSessions = await this.revoker.revokeInTx(tx, ending, reason);
      return { tokens: await open(tx), ended: endedSessions };
    });
    await this.revoker.publish(ended);
    this.relay.nudge();
    return tokens;
  }

  /** Ends one session (sign-out) with its audit entry in the same transaction. */
  async endSession(sessionId: string, audit: AuditInput): Promise<{ loggedOut: true }> {
    const ids = await this.transactions.run(async (tx) => {
      const revoked = await this.revoker.revokeInTx(tx, { sessionId }, 'logout');
      await this.events.audit(tx, audit);
      return revoked;
    });
    await this.revoker.publish(ids.length ? ids : [sessionId]);
    this.relay.nudge();
    return { loggedOut: true };
  }

  /** When a new session ends whatever the refreshes: soon while it only waits for the TOTP code. */
  sessionExpiry(awaitingTotp: boolean): Date {
    const lifetimeSeconds = awaitingTotp
      ? Math.min(TOTP_VERIFICATION_SECONDS, this.config.refreshTokenTtlSeconds)
      : this.config.refreshTokenTtlSeconds;
    return new Date(this.clock.now().getTime() + lifetimeSeconds * 1000);
  }

  /** An access token (short-lived, checked by the gateway) and a refresh token (stored hashed by the caller). */
  mintTokens(
    claims: Omit<AccessTokenClaims, 'iat' | 'exp'>,
    sessionExpiresAt: Date,
    totpEnrolmentRequired: boolean,
    /** A fresh strong authentication (seed 001, the maker's step-up): the token carries it for its lifetime. */
    steppedUp = false,
  ): { tokens: SessionTokens; refreshTokenHash: string } {
    const nowS = Math.floor(this.clock.now().getTime() / 1000);
    const exp = nowS + this.config.accessTokenTtlSeconds;
    const accessToken = signAccessToken({ ...claims, iat: nowS, exp, ...(steppedUp ? { sux: exp } : {}) }, this.config.authTokenSecret);
    const refreshToken = randomBytes(32).toString('base64url');
    const scope: SessionScope = claims.scope;
    return {
      refreshTokenHash: sha256(refreshToken),
      tokens: {
        accessToken,
        refreshToken,
        tokenType: 'Bearer',
        expiresIn: this.config.accessTokenTtlSeconds,
        scope,
        passwordChangeRequired: scope === 'password-change',
        totpEnrolmentRequired,
        totpCodeRequired: scope === 'totp-verification',
        sessionExpiresAt: sessionExpiresAt.toISOString(),
      },
    };
  }

  /** Mints a session's tokens and stores the refresh token's hash. */
  async issueTokens(
    tx: Tx,
    claims: Omit<AccessTokenClaims, 'iat' | 'exp'>,
    sessionExpiresAt: Date,
    totpEnrolmentRequired: boolean,
  ): Promise<SessionTokens> {
    const { tokens, refreshTokenHash } = this.mintTokens(claims, sessionExpiresAt, totpEnrolmentRequired);
    await this.sessions.addRefreshToken(tx, { tokenHash: refreshTokenHash, sessionId: claims.sid, expiresAt: sessionExpiresAt });
    return tokens;
  }

  /** An audit entry of its own (a refusal, a failure): nothing else is written with it. */
  async auditNow(input: AuditInput): Promise<void> {
    await this.transactions.run((tx) => this.events.audit(tx, input));
    this.relay.nudge();
  }
}
