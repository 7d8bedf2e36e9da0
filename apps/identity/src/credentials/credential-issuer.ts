import { Injectable } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { Actor, AuthorizationsSeams, CredentialIssued, CredentialType } from '@procura/contracts';
import { Company, Credential, Tx, User } from '@procura/database';
import { RuleViolationError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import { sealSecret } from '@procura/security';
import { randomUUID } from 'node:crypto';

import { IdentityEvents } from '../events/identity-events';
import { askAuthorizations } from '../shared/ask-authorizations';
import { Clock } from '../shared/clock';
import { UsersRepository } from '../users/users.repository';
import { credentialSnapshot, toCredentialView } from '../users/user-views';
import { bankingPowerAllowed } from './banking-power';
import { CredentialsRepository } from './credentials.repository';
import { generateLoginId } from './login-id';
import { hashPassword } from './password-hasher';
import { generateProvisionalPassword } from './provisional-password';

export interface IssueInput {
  /** The credential's id when it was fixed beforehand (a change request item derives it); random otherwise. */
  id?: string;
  user: User;
  type: CredentialType;
  validUntil: Date | null;
  bankingPower: boolean;
  actor: Actor | string;
  sourceIp?: string;
  details?: Record<string, unknown>;
  /** Seed 003, "Envoyer un email": false sends no welcome e-mail now (it can be resent later). */
  welcomeEmail?: boolean;
}

export interface Issued {
  view: CredentialIssued;
  credential: Credential;
  /** Only when the user has no phone: the caller shows it once (never stored, never logged). */
  provisionalPassword?: string;
}

/**
 * Creates credentials and provisional passwords, and hands them to the user over split
 * channels (seed 001): the login id by e-mail, the provisional password by SMS, both as
 * durable jobs written in the same transaction. Without a phone the password comes back
 * to the caller, to be shown once.
 */
@Injectable()
export class CredentialIssuer {
  constructor(
    private readonly config: AppConfig,
    private readonly credentials: CredentialsRepository,
    private readonly users: UsersRepository,
    private readonly events: IdentityEvents,
    private readonly bus: CommandBus,
    private readonly clock: Clock,
  ) {}

  /** Credential rules that need no other service. */
  checkCredentialRequest(user: User, type: CredentialType, validUntil: string | undefined, existing: Credential | null): Date | null {
    // Seed 003: a user registered to be activated later may have their credential prepared now.
    if (user.status !== 'ACTIVE' && !awaitsActivation(user))
      throw new RuleViolationError('USER_NOT_ACTIVE', 'A credential can only be created for an active user or one to be activated later');
    if (existing) throw new RuleViolationError('CREDENTIAL_EXISTS', 'The user already has a credential: revoke it or reset its password');
    if (type === CredentialType.TEMPORARY) {
      if (!validUntil)
        throw new RuleViolationError('VALID_UNTIL_REQUIRED', 'A temporary credential needs an end date', [
          { field: 'validUntil', messages: ['validUntil is required for a TEMPORARY credential'] },
        ]);
      const end = new Date(validUntil);
      if (end.getTime() <= this.clock.now().getTime()) {
        throw new RuleViolationError('VALID_UNTIL_PAST', 'The end date of a temporary credential must be in the future', [
          { field: 'validUntil', messages: ['validUntil must be in the future'] },
        ]);
      }
      return end;
    }
    if (validUntil)
      throw new RuleViolationError('VALID_UNTIL_NOT_ALLOWED', 'A permanent credential has no end date', [
        { field: 'validUntil', messages: ['validUntil is only for TEMPORARY credentials'] },
      ]);
    return null;
  }

  /**
   * Seed 000 note 1, asked of the authorizations service. Fails closed: while it cannot
   * answer, banking power is neither granted nor refused but the request fails (503).
   */
  async checkBankingPower(
    user: User,
    bankingPower: boolean,
    planned: { plannedServices?: string[]; onlyPlanned?: boolean } = {},
  ): Promise<void> {
    if (!bankingPower) return;
    let services: string[] = [];
    // A user the same change request registers has only the rights its earlier items give.
    if (!planned.onlyPlanned) services = await this.servicesOf(user);
    this.checkServices([...services, ...(planned.plannedServices ?? [])]);
  }

  private async servicesOf(user: User): Promise<string[]> {
    const { services } = await askAuthorizations(
      this.bus,
      AuthorizationsSeams.servicesOfUser,
      { userId: user.id, companyId: user.companyId },
      'banking-power-rule',
    );
    return services;
  }

  private checkServices(services: string[]): void {
    if (!bankingPowerAllowed(services)) {
      throw new RuleViolationError(
        'BANKING_POWER_NOT_ALLOWED',
        "The user's rights cover only e-invoicing: the credential must be without banking power",
        [{ field: 'bankingPower', messages: ['bankingPower must be false for a user with e-invoicing rights only'] }],
      );
    }
  }

  /**
   * The welcome e-mail saying what to sign in with: the login id, or the e-mail where the
   * company signs in with e-mails (seed 003). Once per event key (by default once per
   * credential, whoever asks again).
   */
  async sendWelcome(tx: Tx, user: User, credential: Credential, eventKey = `welcome:${credential.id}`): Promise<void> {
    const company = await this.users.findCompany(user.companyId, tx);
    await this.events.email(tx, {
      eventKey,
      companyId: user.companyId,
      template: 'welcome-login-id',
      to: user.email,
      language: IdentityEvents.language(user.language),
      params: {
        firstName: user.firstName,
        lastName: user.lastName,
        loginId: credential.loginId,
        portalUrl: this.config.publicUrl,
        passwordChannel: provisionalPasswordChannel(user),
        ...(company?.signInWith === 'EMAIL' ? { signInEmail: user.email } : {}),
      },
    });
  }

  async issue(tx: Tx, input: IssueInput): Promise<Issued> {
    const now = this.clock.now();
    let loginId = generateLoginId();
    for (let attempt = 0; await this.credentials.loginIdTaken(tx, loginId); attempt++) {
      if (attempt > 10) throw new Error('could not draw a free login id');
      loginId = generateLoginId();
    }
    const provisional = generateProvisionalPassword();
    const expiresAt = new Date(now.getTime() + this.config.provisionalPasswordTtlHours * 3600_000);
    const credential = await this.credentials.create(tx, {
      id: input.id ?? randomUUID(),
      userId: input.user.id,
      companyId: input.user.companyId,
      loginId,
      type: input.type,
      validUntil: input.validUntil,
      bankingPower: input.bankingPower,
      passwordHash: await hashPassword(provisional),
      passwordIsProvisional: true,
      provisionalExpiresAt: expiresAt,
      createdBy: typeof input.actor === 'string' ? input.actor : JSON.stringify(input.actor),
    });
    // The principal version is the user's: a credential change is a change of the user.
    const user = await this.users.update(tx, input.user.id, {});
    // A user activated later (seed 003, "Ultérieurement") gets the e-mail when activated.
    if (input.welcomeEmail !== false && !awaitsActivation(user)) await this.sendWelcome(tx, user, credential);
    const delivery = await this.deliverProvisional(tx, user, credential, provisional, expiresAt, 'created');
    await this.events.principal(tx, user.id);
    await this.events.audit(tx, {
      companyId: user.companyId,
      actor: input.actor,
      action: 'credential.created',
      targetType: 'credential',
      targetId: credential.id,
      sourceIp: input.sourceIp,
      after: { ...credentialSnapshot(credential, now), provisionalPasswordDelivery: delivery },
      details: input.details,
    });
    return {
      credential,
      view: {
        credential: toCredentialView(credential, now),
        provisionalPasswordDelivery: delivery,
        provisionalPasswordExpiresAt: expiresAt.toISOString(),
      },
      provisionalPassword: delivery === 'SHOWN_ONCE' ? provisional : undefined,
    };
  }

  /** A new provisional password for an existing credential (reset): unlocks it, ends its sessions. */
  async reissue(
    tx: Tx,
    credential: Credential,
    user: User,
    resetTotp: boolean,
  ): Promise<{ credential: Credential; delivery: 'SMS' | 'SHOWN_ONCE'; provisionalPassword?: string; expiresAt: Date }> {
    const now = this.clock.now();
    const provisional = generateProvisionalPassword();
    const expiresAt = new Date(now.getTime() + this.config.provisionalPasswordTtlHours * 3600_000);
    const updated = await this.credentials.update(tx, credential.id, {
      passwordHash: await hashPassword(provisional),
      passwordIsProvisional: true,
      provisionalExpiresAt: expiresAt,
      failedAttempts: 0,
      lockedUntil: null,
      ...(resetTotp ? { totpSecretSealed: null, totpPendingSealed: null, totpEnrolledAt: null } : {}),
      version: { increment: 1 },
    });
    const delivery = await this.deliverProvisional(tx, user, updated, provisional, expiresAt, `reset:${updated.version}`);
    return { credential: updated, delivery, provisionalPassword: delivery === 'SHOWN_ONCE' ? provisional : undefined, expiresAt };
  }

  /** By SMS to the user's phone; without one it is shown once to whoever created the credential. */
  private async deliverProvisional(
    tx: Tx,
    user: User,
    credential: Credential,
    provisional: string,
    expiresAt: Date,
    event: string,
  ): Promise<'SMS' | 'SHOWN_ONCE'> {
    // The welcome e-mail tells the same story (provisionalPasswordChannel).
    if (!user.phone) return 'SHOWN_ONCE';
    await this.events.sms(tx, {
      eventKey: `provisional-password:${credential.id}:${event}`,
      companyId: user.companyId,
      template: 'provisional-password',
      to: user.phone,
      language: IdentityEvents.language(user.language),
      params: { expiresAt: expiresAt.toISOString() },
      secrets: { provisionalPassword: sealSecret(provisional, this.config.secretsKey) },
    });
    return 'SMS';
  }

  company(tx: Tx, companyId: string): Promise<Company | null> {
    return this.users.findCompany(companyId, tx);
  }
}

/** A user registered to be activated later: their credential is prepared, the welcome e-mail waits for the activation. */
export function awaitsActivation(user: Pick<User, 'status' | 'activationMode'>): boolean {
  return user.status === 'REGISTERED' && user.activationMode === 'DEFERRED';
}

/** How a user's provisional password reaches them, as the welcome e-mail tells it (see deliverProvisional). */
export function provisionalPasswordChannel(user: Pick<User, 'phone'>): 'sms' | 'administrator' {
  return user.phone ? 'sms' : 'administrator';
}
