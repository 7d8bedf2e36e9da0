import { Injectable } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { Actor, CreateEdiSignatureDto, EdiCodeSent, ediSignatureStatus, EdiSignatureView, EdiVerification } from '@procura/contracts';
import { EdiSignature, Transactions } from '@procura/database';
import { DomainError, ForbiddenError, NotFoundError, RuleViolationError, ValidationFailedError } from '@procura/errors';
import { sealSecret } from '@procura/security';
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { CredentialsRepository } from '../credentials/credentials.repository';
import { hashPassword, verifyPassword } from '../credentials/password-hasher';
import { checkPasswordPolicy } from '../credentials/password-policy';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { AccessService } from '../users/access.service';
import { maskEmail } from '../users/user-rules';
import { UsersRepository } from '../users/users.repository';
import { EdiRepository } from './edi.repository';
import { EdiSendingRight } from './edi-sending-right';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const EDI_CODE_LENGTH = 10;

export function generateEdiCode(): string {
  return Array.from({ length: EDI_CODE_LENGTH }, () => CODE_ALPHABET[randomInt(0, CODE_ALPHABET.length)]).join('');
}

export function toSignatureView(s: EdiSignature, now: Date, holdsSendingRight: boolean): EdiSignatureView {
  return {
    id: s.id,
    userId: s.userId,
    status: ediSignatureStatus(s, now, holdsSendingRight),
    validFrom: s.validFrom.toISOString(),
    validUntil: s.validUntil.toISOString(),
    locked: !!s.lockedUntil && s.lockedUntil.getTime() > now.getTime(),
    createdAt: s.createdAt.toISOString(),
  };
}

/** EDI signatures (seed 004): confidential code to the administrator, signature created by the user, verified at every sending. */
@Injectable()
export class EdiService {
  constructor(
    private readonly transactions: Transactions,
    private readonly config: AppConfig,
    private readonly edi: EdiRepository,
    private readonly users: UsersRepository,
    private readonly credentials: CredentialsRepository,
    private readonly access: AccessService,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
    private readonly clock: Clock,
    private readonly sendingRight: EdiSendingRight,
  ) {}

  private codeHash(code: string): string {
    return createHmac('sha256', this.config.secretsKey).update(`edi-code:${code}`).digest('hex');
  }

  async requestCode(actor: Actor, userId: string, sourceIp?: string): Promise<EdiCodeSent> {
    if (actor.kind !== 'user' || actor.clientType !== 'ADMINISTRATOR')
      throw new ForbiddenError('Only a company administrator requests EDI codes');
    const user = await this.access.administeredUser(actor, userId);
    if (user.status !== 'ACTIVE')
      throw new RuleViolationError('USER_NOT_ACTIVE', 'Only an active user can create an EDI signature (seed 004)');
    const admin = await this.users.findById(actor.userId);
    if (!admin) throw new NotFoundError('User');
    const now = this.clock.now();
    const code = generateEdiCode();
    const expiresAt = new Date(now.getTime() + this.config.ediCodeTtlHours * 3600_000);
    const row = await this.transactions.run(async (tx) => {
      const created = await this.edi.createCode(
        tx,
        { id: randomUUID(), userId: user.id, companyId: user.companyId, codeHash: this.codeHash(code), requestedBy: admin.id, expiresAt },
        now,
      );
      await this.events.email(tx, {
        eventKey: `edi-code:${created.id}`,
        companyId: user.companyId,
        template: 'edi-code',
        to: admin.email,
        language: IdentityEvents.language(admin.language),
        params: {
          adminFirstName: admin.firstName,
          userFirstName: user.firstName,
          userLastName: user.lastName,
          expiresAt: expiresAt.toISOString(),
        },
        secrets: { ediCode: sealSecret(code, this.config.secretsKey) },
      });
      await this.events.audit(tx, {
        companyId: user.companyId,
        actor,
        action: 'edi.code-requested',
        targetType: 'user',
        targetId: user.id,
        sourceIp,
        details: { codeId: created.id, expiresAt: expiresAt.toISOString() },
      });
      return created;
    });
    this.relay.nudge();
    return { codeId: row.id, expiresAt: expiresAt.toISOString(), sentTo: maskEmail(admin.email) };
  }

  async createSignature(actor: Actor, userId: string, input: CreateEdiSignatureDto, sourceIp?: string): Promise<EdiSignatureView> {
    // Seed 004: each person creates their own signature, signed in, while active.
    if (actor.kind !== 'user' || actor.userId !== userId) {
      await this.access.user(actor, userId);
      throw new ForbiddenError('Only the user themselves creates their EDI signature');
    }
    const user = await this.users.findById(userId);
    if (!user || user.status !== 'ACTIVE')
      throw new RuleViolationError('USER_NOT_ACTIVE', 'Only an active user can create an EDI signature');
    // Seed 004: a signature "pour chaque personne en charge d'effectuer les envois". Asked before the code, which stays usable.
    if (!(await this.sendingRight.heldBy(user.id))) {
      await this.audit(actor, user.companyId, 'edi.signature-refused', user.id, sourceIp, { reason: 'no-edi-sending-right' });
      throw new RuleViolationError(
        'EDI_SENDING_RIGHT_REQUIRED',
        'Only a user holding the EDI sending right (EDI / SEND_DECLARATIONS) can create an EDI signature: ask your administrator for it',
      );
    }
    const now = this.clock.now();
    const code = await this.edi.latestUsableCode(user.id, now);
    const given = Buffer.from(this.codeHash(input.code), 'hex');
    if (!code || !timingSafeEqual(given, Buffer.from(code.codeHash, 'hex'))) {
      if (code) await this.edi.codeFailure(code.id, this.config.loginMaxFailures, now);
      await this.audit(actor, user.companyId, 'edi.signature-refused', user.id, sourceIp, {
        reason: code ? 'wrong-code' : 'no-usable-code',
      });
      throw new RuleViolationError(
        'EDI_CODE_INVALID',
        'The EDI code is wrong, expired or already used: ask your administrator for a new one',
        [{ field: 'code', messages: ['code is wrong, expired or already used'] }],
      );
    }
    const credential = await this.credentials.findCurrentForUser(user.id);
    const errors = checkPasswordPolicy(
      {
        newPassword: input.password,
        confirmation: input.passwordConfirmation,
        loginId: credential?.loginId,
        firstName: user.firstName,
        lastName: user.lastName,
        reusesRecentPassword: false,
      },
      'password',
      'passwordConfirmation',
    );
    if (errors.length) throw new ValidationFailedError(errors, 'The signature password does not meet the password policy');
    const passwordHash = await hashPassword(input.password);
    const validUntil = new Date(now);
    validUntil.setUTCFullYear(validUntil.getUTCFullYear() + input.validityYears);
    const signature = await this.transactions.run(async (tx) => {
      if (!(await this.edi.useCode(tx, code.id, now)))
        throw new RuleViolationError('EDI_CODE_INVALID', 'The EDI code was already used', [
          { field: 'code', messages: ['code was already used'] },
        ]);
      await this.edi.revokeActiveSignatures(tx, user.id, now);
      const created = await this.edi.createSignature(tx, {
        id: randomUUID(),
        userId: user.id,
        companyId: user.companyId,
        passwordHash,
        validFrom: now,
        validUntil,
      });
      await this.events.audit(tx, {
        companyId: user.companyId,
        actor,
        action: 'edi.signature-created',
        targetType: 'edi-signature',
        targetId: created.id,
        sourceIp,
        after: toSignatureView(created, now, true),
      });
      return created;
    });
    this.relay.nudge();
    return toSignatureView(signature, now, true);
  }

  async list(actor: Actor, userId: string): Promise<EdiSignatureView[]> {
    const user = await this.access.user(actor, userId);
    const now = this.clock.now();
    const signatures = await this.edi.listSignatures(user.id);
    const holdsSendingRight = signatures.length > 0 && (await this.sendingRight.heldBy(user.id));
    return signatures.map((s) => toSignatureView(s, now, holdsSendingRight));
  }

  async verify(actor: Actor, signatureId: string, password: string, sourceIp?: string): Promise<EdiVerification> {
    const signature = await this.edi.findSignature(signatureId);
    if (!signature || actor.kind !== 'user' || actor.userId !== signature.userId) throw new NotFoundError('EDI signature');
    const now = this.clock.now();
    const stored = ediSignatureStatus(signature, now, true);
    if (stored !== 'ACTIVE')
      throw new RuleViolationError(`SIGNATURE_${stored}`, `The EDI signature is ${stored.toLowerCase()}: create a new one`);
    // Asked before the password, so a suspended signature says nothing about it.
    if (!(await this.sendingRight.heldBy(signature.userId)))
      throw new RuleViolationError(
        'SIGNATURE_SUSPENDED',
        'The EDI signature is suspended: you no longer hold the EDI sending right (EDI / SEND_DECLARATIONS)',
      );
    const view = toSignatureView(signature, now, true);
    if (view.locked)
      throw new DomainError('SIGNATURE_LOCKED', 422, 'Too many wrong signature passwords: try again later', undefined, {
        lockedUntil: signature.lockedUntil!.toISOString(),
      });
    if (!(await verifyPassword(signature.passwordHash, password))) {
      const locked = await this.edi.signatureFailure(
        signature.id,
        this.config.loginMaxFailures,
        new Date(now.getTime() + this.config.loginLockoutMinutes * 60_000),
      );
      await this.audit(
        actor,
        signature.companyId,
        locked ? 'edi.signature-locked' : 'edi.signature-verification-failed',
        signature.id,
        sourceIp,
        {},
        'edi-signature',
      );
      throw new RuleViolationError('SIGNATURE_PASSWORD_INCORRECT', 'The signature password is incorrect', [
        { field: 'password', messages: ['password is incorrect'] },
      ]);
    }
    await this.edi.signatureSuccess(signature.id);
    await this.audit(actor, signature.companyId, 'edi.signature-verified', signature.id, sourceIp, {}, 'edi-signature');
    return { valid: true, validUntil: signature.validUntil.toISOString() };
  }

  async revoke(actor: Actor, signatureId: string, sourceIp?: string): Promise<EdiSignatureView> {
    const signature = await this.edi.findSignature(signatureId);
    if (!signature) throw new NotFoundError('EDI signature');
    const own = actor.kind === 'user' && actor.userId === signature.userId;
    if (!own) {
      try {
        await this.access.administeredUser(actor, signature.userId);
      } catch {
        throw new NotFoundError('EDI signature');
      }
    }
    if (signature.status === 'REVOKED') throw new RuleViolationError('SIGNATURE_REVOKED', 'The EDI signature is already revoked');
    const now = this.clock.now();
    const holdsSendingRight = await this.sendingRight.heldBy(signature.userId);
    const revoked = await this.transactions.run(async (tx) => {
      const updated = await this.edi.updateSignature(tx, signature.id, { status: 'REVOKED', revokedAt: now });
      await this.events.audit(tx, {
        companyId: signature.companyId,
        actor,
        action: 'edi.signature-revoked',
        targetType: 'edi-signature',
        targetId: signature.id,
        sourceIp,
        before: toSignatureView(signature, now, holdsSendingRight),
        after: toSignatureView(updated, now, holdsSendingRight),
      });
      return updated;
    });
    this.relay.nudge();
    return toSignatureView(revoked, now, holdsSendingRight);
  }

  private async audit(
    actor: Actor,
    companyId: string,
    action: string,
    targetId: string,
    sourceIp: string | undefined,
    details: Record<string, unknown>,
    targetType = 'user',
  ): Promise<void> {
    await this.transactions.run((tx) => this.events.audit(tx, { companyId, actor, action, targetType, targetId, sourceIp, details }));
    this.relay.nudge();
  }
}
