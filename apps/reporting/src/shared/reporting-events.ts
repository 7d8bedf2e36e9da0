import { Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { Actor, describeActor, JOBS, JobContract } from '@procura/contracts';
import { Prisma, PrismaService } from '@procura/database';
import { requestContext } from '@procura/logging';
import { Outbox, OutboxRelay, QueueRegistry, SqlExecutor, TransactionalSql } from '@procura/messaging';
import { randomUUID } from 'node:crypto';
import { Clock } from './clock';

export type Tx = Prisma.TransactionClient & SqlExecutor;

export interface AuditInput {
  companyId: string;
  actor: Actor | string;
  action: string;
  targetType: string;
  targetId?: string;
  sourceIp?: string;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

/** Relays reporting's outbox to BullMQ for the life of the process. */
@Injectable()
export class ReportingOutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(config: AppConfig, prisma: PrismaService, queues: QueueRegistry) {
    this.relay = new OutboxRelay(prisma as unknown as TransactionalSql, queues, 'reporting', config.outboxPollMs);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  /** After a commit that wrote outbox rows: relay now rather than at the next poll. */
  nudge(): void {
    this.relay.nudge();
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

  async audit(tx: Tx, input: AuditInput): Promise<void> {
    const eventId = randomUUID();
    await this.outbox.add(tx, JOBS.recordAuditEvent, `audit-${eventId}`, {
      eventId,
      companyId: input.companyId,
      occurredAt: this.clock.now().toISOString(),
      actor: typeof input.actor === 'string' ? input.actor : (describeActor(input.actor) ?? 'unknown'),
      action: input.action,
      targetType: input.targetType,
      ...(input.targetId ? { targetId: input.targetId } : {}),
      ...(input.sourceIp ? { sourceIp: input.sourceIp } : {}),
      ...(requestContext.requestId() ? { requestId: requestContext.requestId() } : {}),
      ...(input.before !== undefined ? { before: input.before } : {}),
      ...(input.after !== undefined ? { after: input.after } : {}),
      ...(input.details ? { details: input.details } : {}),
    });
  }
}
