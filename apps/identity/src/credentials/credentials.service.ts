import { Injectable } from '@nestjs/common';
import { Transactions } from '@procura/database';
import { Actor, CredentialView, WelcomeEmailSent } from '@procura/contracts';
import { NotFoundError, RuleViolationError } from '@procura/errors';
import { randomUUID } from 'node:crypto';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { AccessService } from '../users/access.service';
import { maskEmail } from '../users/user-rules';
import { credentialSnapshot, toCredentialView } from '../users/user-views';
import { CredentialIssuer } from './credential-issuer';
import { CredentialsRepository } from './credentials.repository';

/** Direct actions on credentials (not change requests): reads, welcome e-mail, unlock. */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly credentials: CredentialsRepository,
    private readonly issuer: CredentialIssuer,
    private readonly access: AccessService,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, userId: string): Promise<CredentialView[]> {
    const user = await this.access.user(actor, userId);
    const now = this.clock.now();
    return (await this.credentials.listForUser(user.id)).map((c) => toCredentialView(c, now));
  }

  /** Seed 003: "Envoyer l'email de bienvenue" later, from the user's profile. */
  async resendWelcome(actor: Actor, userId: string, sourceIp?: string): Promise<WelcomeEmailSent> {
    const user = await this.access.administeredUser(actor, userId);
    const credential = await this.credentials.findCurrentForUser(user.id);
    if (!credential) throw new RuleViolationError('NO_CREDENTIAL', 'The user has no credential yet: create one first');
    if (user.status !== 'ACTIVE') throw new RuleViolationError('USER_NOT_ACTIVE', 'The welcome e-mail is sent to active users only');
    await this.transactions.run(async (tx) => {
      await this.issuer.sendWelcome(tx, user, credential, `welcome:${credential.id}:resend:${randomUUID()}`);
      await this.events.audit(tx, {
        companyId: user.companyId,
        actor,
        action: 'credential.welcome-resent',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
      });
    });
    this.relay.nudge();
    return { sentTo: maskEmail(user.email) };
  }

  async unlock(actor: Actor, credentialId: string, sourceIp?: string): Promise<CredentialView> {
    const credential = await this.credentials.findById(credentialId);
    if (!credential) throw new NotFoundError('Credential');
    try {
      await this.access.administeredUser(actor, credential.userId);
    } catch {
      throw new NotFoundError('Credential');
    }
    const now = this.clock.now();
    const unlocked = await this.transactions.run(async (tx) => {
      const updated = await this.credentials.update(tx, credential.id, { failedAttempts: 0, lockedUntil: null });
      await this.events.audit(tx, {
        companyId: credential.companyId,
        actor,
        action: 'credential.unlocked',
        targetType: 'credential',
        targetId: credential.id,
        sourceIp,
        before: credentialSnapshot(credential, now),
        after: credentialSnapshot(updated, now),
      });
      return updated;
    });
    this.relay.nudge();
    return toCredentialView(unlocked, now);
  }
}
