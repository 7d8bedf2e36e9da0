import { Injectable } from '@nestjs/common';
import { Actor, ClientType, CompanyMembershipView, SessionTokens } from '@procura/contracts';
import { DomainError, NotFoundError, RuleViolationError, UnauthenticatedError } from '@procura/errors';

import { CredentialsRepository } from '../credentials/credentials.repository';
import { IdentityEvents } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { credentialStatus } from '../users/user-views';
import { UsersRepository } from '../users/users.repository';
import { AuthService } from './auth.service';
import { SessionsRepository } from './sessions.repository';
import { sessionEnded, SignInSteps, stepUpFailed } from './sign-in-steps';

const accessNotPossible = () =>
  new DomainError('COMPANY_ACCESS_NOT_POSSIBLE', 403, 'Your access to this company is not possible at the moment: ask its administrator');

/**
 * One person, several companies (seed 003 "accès aux dossiers"). Each company's users row is
 * one membership of the person, with its own rights, credential, status and policy; a session
 * always acts in exactly one of them (token `sub` = the membership, `cid` = its company), so
 * every check and audit entry stays within one company by construction. Switching opens a
 * session of the other membership: its credential must be usable (not revoked, expired or
 * locked) and its TOTP given when this session's sign-in gave none, but the password is not
 * asked again (the person proved who they are when the session began).
 */
@Injectable()
export class CompanySwitchService {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsRepository,
    private readonly credentials: CredentialsRepository,
    private readonly users: UsersRepository,
    private readonly steps: SignInSteps,
    private readonly events: IdentityEvents,
    private readonly clock: Clock,
  ) {}

  /** `GET /auth/companies`: the active memberships of the signed-in person. */
  async companies(actor: Actor): Promise<CompanyMembershipView[]> {
    const user = userActor(actor);
    const current = await this.users.findById(user.userId);
    if (!current) throw sessionEnded();
    const memberships = await this.users.memberships(current.personId);
    return memberships
      .filter((m) => m.status === 'ACTIVE')
      .map((m) => ({
        companyId: m.companyId,
        companyName: m.company.name,
        userId: m.id,
        clientType: m.clientType as ClientType,
        current: m.id === user.userId,
      }));
  }

  /**
   * `POST /auth/switch-company`. The other membership must be active with a usable credential
   * (not revoked, expired or locked); when that credential has TOTP enrolled and this session
   * was opened without a code, its current code is asked for; a company requiring strong
   * authentication is not entered without a second factor. The new session is full. The
   * switch is audited in both companies, neither entry naming the other company.
   */
  async switchCompany(actor: Actor, companyId: string, totpCode: string | undefined, sourceIp?: string): Promise<SessionTokens> {
    const from = userActor(actor);
    const now = this.clock.now();
    if (companyId === from.companyId)
      throw new RuleViolationError('ALREADY_IN_COMPANY', 'This session already acts in this company', [
        { field: 'companyId', messages: ['companyId must be another of your companies'] },
      ]);
    const current = await this.users.findById(from.userId);
    if (!current) throw sessionEnded();
    // Another person's company, or one this person has no active membership of: not found, like any other company.
    const target = (await this.users.memberships(current.personId)).find((m) => m.companyId === companyId && m.status === 'ACTIVE');
    if (!target) throw new NotFoundError('Company');
    const session = await this.sessions.findSession(from.sessionId);
    if (!session || session.revokedAt || session.userId !== from.userId || session.expiresAt.getTime() <= now.getTime())
      throw sessionEnded();
    const credential = await this.credentials.findCurrentForUser(target.id);
    const refusal = !credential
      ? 'no-credential'
      : credentialStatus(credential, now) !== 'ACTIVE'
        ? `credential-${credentialStatus(credential, now).toLowerCase()}`
        : this.steps.isLocked(credential, now)
          ? 'locked'
          : undefined;
    if (!credential || refusal) {
      await this.refused(companyId, target.id, 'session.company-switch-refused', sourceIp, { reason: refusal });
      throw accessNotPossible();
    }
    // The person proved who they are when this session began: the other credential's password
    // is not asked again (nor, when it is still provisional, changed here). Its TOTP is: when
    // enrolled, its code is needed unless this session's sign-in already gave one; a company
    // that requires strong authentication is entered only with a second factor.
    const enrolled = credential.totpEnrolledAt !== null && credential.totpSecretSealed !== null;
    if (enrolled && !session.secondFactor && totpCode === undefined) {
      throw new RuleViolationError('TOTP_CODE_REQUIRED', 'Give the current code of your authenticator app for this company', [
        { field: 'totpCode', messages: ['totpCode is required: this session was opened without a TOTP code'] },
      ]);
    }
    if (!enrolled && !session.secondFactor && target.company.requireStrongAuth) {
      await this.refused(companyId, target.id, 'session.company-switch-refused', sourceIp, {
        reason: 'strong-authentication-required',
      });
      throw new DomainError(
        'COMPANY_STRONG_AUTH_REQUIRED',
        403,
        'This company requires strong authentication: sign in with your credential of this company to enrol it',
      );
    }
    const codeGiven = enrolled && totpCode !== undefined;
    if (codeGiven && totpCode !== undefined) {
      const check = await this.steps.claimTotpCode(this.credentials, credential, totpCode, now);
      if (!check.accepted) {
        await this.refused(companyId, target.id, 'session.company-switch-totp-failed', sourceIp, { locked: check.locked });
        throw stepUpFailed();
      }
    }
    return this.steps.replaceSession({ sessionId: session.id }, 'company-switched', async (tx) => {
      await this.events.audit(tx, {
        companyId: from.companyId,
        actor: `user:${from.userId}`,
        action: 'session.company-switched-away',
        targetType: 'session',
        targetId: session.id,
        sourceIp,
      });
      const tokens = await this.auth.openSession(tx, credential, target, target.company, sourceIp, {
        strongAuth: codeGiven,
        secondFactor: session.secondFactor || codeGiven,
        fullScope: true,
      });
      await this.events.audit(tx, {
        companyId,
        actor: `user:${target.id}`,
        action: 'session.company-switched-in',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
        details: { previousSessionId: session.id, scope: tokens.scope, totpCodeGiven: codeGiven },
      });
      return tokens;
    });
  }

  private refused(
    companyId: string,
    userId: string,
    action: 'session.company-switch-refused' | 'session.company-switch-totp-failed',
    sourceIp: string | undefined,
    details: Record<string, unknown>,
  ) {
    return this.steps.auditNow({
      companyId,
      actor: `user:${userId}`,
      action,
      targetType: 'user',
      targetId: userId,
      sourceIp,
      details,
    });
  }
}

function userActor(actor: Actor): Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user') throw new UnauthenticatedError('Sign in as a user');
  return actor;
}
