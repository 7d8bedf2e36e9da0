import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { PoolSql, PrismaService } from '@procura/database';
import { OutboxLocalSink, OutboxRelay, OutboxSchema, TransactionalSql } from './outbox';
import type { QueueName } from '@procura/contracts';
import { QueueRegistry } from './queue-registry';

/**
 * Runs a schema's outbox relay for the life of the process; each service subclasses it
 * once (one relay per process, replicas share the rows through SKIP LOCKED).
 */
export abstract class OutboxRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;

  protected constructor(
    schema: OutboxSchema,
    config: AppConfig,
    prisma: PrismaService,
    queues: QueueRegistry,
    localSinks?: Partial<Record<QueueName, OutboxLocalSink>>,
  ) {
    // Plain SQL all day long: over the pool Prisma uses, without Prisma's per-query work.
    this.relay = new OutboxRelay(new PoolSql(prisma.pool) as TransactionalSql, queues, schema, config.outboxPollMs, {
      retentionMs: config.outboxRetentionHours * 3600_000,
      localSinks,
    });
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
