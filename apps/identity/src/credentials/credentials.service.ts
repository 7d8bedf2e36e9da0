import { Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@procura/database';
import { Actor, CreateCredentialDto, CredentialIssuedWithSecret, CredentialView, WelcomeEmailSent } from '@procura/contracts';
import { ForbiddenError, NotFoundError, RuleViolationError } from '@procura/errors';
import { randomUUID } from 'node:crypto';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { AccessService } from '../users/access.service';
import { maskEmail } from '../users/user-rules';
import { credentialSnapshot, toCredentialView } from '../users/user-views';
import { CredentialIssuer } from './credential-issuer';
import { CredentialsRepository } from './credentials.repository';

/** Direct actions on credentials (not change requests): reads, the operator's first credential, welcome e-mail, unlock. */
@Injectable()
export class CredentialsService {
  private readonly logger = new Logger(CredentialsService.name);

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

  /** Operators equip the first administrator of a company they manage (afterwards administrators do it through changes). */
  async operatorCreate(actor: Actor, userId: string, input: CreateCredentialDto, sourceIp?: string): Promise<CredentialIssuedWithSecret> {
    if (actor.kind !== 'operator') throw new ForbiddenError('Administrators create credentials through a change');
    const user = await this.access.user(actor, userId);
    if (user.clientType !== 'ADMINISTRATOR') {
      throw new RuleViolationError(
        'OPERATOR_CREDENTIAL_ADMIN_ONLY',
        "Operators create credentials for a company's administrators only; the administrators equip their users",
      );
    }
    const validUntil = this.issuer.checkCredentialRequest(
      user,
      input.type,
      input.validUntil,
      await this.credentials.findCurrentForUser(user.id),
    );
    await this.issuer.checkBankingPower(user, input.bankingPower);
    const issued = await this.transactions.run(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT id FROM "identity"."users" WHERE id = $1::uuid FOR UPDATE`, user.id);
      this.issuer.checkCredentialRequest(user, input.type, input.validUntil, await this.credentials.findCurrentForUser(user.id, tx));
      return this.issuer.issue(tx, {
        user,
        type: input.type,
        validUntil,
        bankingPower: input.bankingPower,
        actor,
        sourceIp,
        welcomeEmail: input.sendWelcomeEmail,
      });
    });
    this.relay.nudge();
    this.logger.log({
      msg: 'credential created by operator',
      credentialId: issued.credential.id,
      delivery: issued.view.provisionalPasswordDelivery,
    });
    return { ...issued.view, ...(issued.provisionalPassword ? { revealOnce: { provisionalPassword: issued.provisionalPassword } } : {}) };
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
