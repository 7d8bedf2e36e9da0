import { Injectable } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { AuditEventJob, JOBS, Language, SendEmailJob, SendSmsJob } from '@procura/contracts';
import { PrismaService, Tx } from '@procura/database';
import { requestContext } from '@procura/logging';
import { AuditFact, auditEvent, auditJobId, bullJobId, Outbox, OutboxRelayLifecycle, QueueRegistry } from '@procura/messaging';
import { randomUUID } from 'node:crypto';

import { Clock } from '../shared/clock';

export type AuditInput = AuditFact;

/** Relays identity's outbox to BullMQ for the life of the process. */
@Injectable()
export class IdentityOutboxRelay extends OutboxRelayLifecycle {
  constructor(config: AppConfig, prisma: PrismaService, queues: QueueRegistry) {
    super('identity', config, prisma, queues);
  }
}

/**
 * Every durable side effect of identity goes through here, inside the business
 * transaction: audit events, the principal state the rights check projects, e-mails and
 * SMS. Never a secret in clear text: callers pass secrets already sealed.
 */
@Injectable()
export class IdentityEvents {
  private readonly outbox = new Outbox('identity');

  constructor(private readonly clock: Clock) {}

  async audit(tx: Tx, input: AuditInput): Promise<void> {
    const row = this.auditRow(input);
    await this.outbox.add(tx, JOBS.recordAuditEvent, row.businessKey, row.event);
  }

  /**
   * The outbox row of an audit event, for a statement that writes it together with other
   * rows in one round trip (the sign-in path). Same row as Outbox.add writes.
   */
  auditOutboxRow(input: AuditInput): { id: string; queue: string; jobName: string; jobId: string; payload: string } {
    const row = this.auditRow(input);
    return {
      id: randomUUID(),
      queue: JOBS.recordAuditEvent.queue,
      jobName: JOBS.recordAuditEvent.name,
      jobId: bullJobId(row.businessKey),
      payload: JSON.stringify({ ...row.event, meta: { requestId: requestContext.requestId() } }),
    };
  }

  private auditRow(input: AuditInput): { businessKey: string; event: AuditEventJob } {
    const event = auditEvent(input, this.clock.now());
    return { businessKey: auditJobId(event), event };
  }

  /** The user's status and credentials as they are now in this transaction (job id per version: older never overwrites newer). */
  async principal(tx: Tx, userId: string): Promise<void> {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, include: { credentials: true } });
    await this.outbox.add(tx, JOBS.syncPrincipal, `principal:${user.id}:${user.version}`, {
      userId: user.id,
      companyId: user.companyId,
      status: user.status,
      version: user.version,
      credentials: user.credentials.map((c) => ({
        id: c.id,
        validUntil: c.validUntil?.toISOString() ?? null,
        revoked: c.status === 'REVOKED',
        bankingPower: c.bankingPower,
      })),
    });
  }

  async email(tx: Tx, job: SendEmailJob): Promise<void> {
    await this.outbox.add(tx, JOBS.sendEmail, job.eventKey, job);
  }

  async sms(tx: Tx, job: SendSmsJob): Promise<void> {
    await this.outbox.add(tx, JOBS.sendSms, job.eventKey, job);
  }

  static language(value: string): Language {
    return value === 'en' ? 'en' : 'fr';
  }
}
