import { Injectable } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { JOBS, JobContract } from '@procura/contracts';
import { PrismaService, Tx } from '@procura/database';
import { AuditFact, auditEvent, auditJobId, Outbox, OutboxRelayLifecycle, QueueRegistry } from '@procura/messaging';
import { Clock } from './clock';

export type AuditInput = AuditFact & { companyId: string };

/** Relays reporting's outbox to BullMQ for the life of the process. */
@Injectable()
export class ReportingOutboxRelay extends OutboxRelayLifecycle {
  constructor(config: AppConfig, prisma: PrismaService, queues: QueueRegistry) {
    super('reporting', config, prisma, queues);
  }
}

/** The durable side effects of reporting, written inside the business transaction. */
@Injectable()
export class ReportingEvents {
  private readonly outbox = new Outbox('reporting');

  constructor(private readonly clock: Clock) {}

  /** `jobId` derives from the business event (no ':' — BullMQ refuses most of them). */
  job<T>(tx: Tx, job: JobContract<T>, jobId: string, data: T): Promise<void> {
    return this.outbox.add(tx, job, jobId, data);
  }

  async audit(tx: Tx, input: AuditFact): Promise<void> {
    const event = auditEvent(input, this.clock.now());
    await this.outbox.add(tx, JOBS.recordAuditEvent, auditJobId(event), event);
  }
}
