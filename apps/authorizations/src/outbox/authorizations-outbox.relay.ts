import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { PrismaService } from '@procura/database';
import { OutboxRelay, QueueRegistry } from '@procura/messaging';

/** Relays the authorizations schema's outbox to BullMQ (one per process; replicas share the work). */
@Injectable()
export class AuthorizationsOutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(config: AppConfig, prisma: PrismaService, queues: QueueRegistry) {
    this.relay = new OutboxRelay(prisma, queues, 'authorizations', config.outboxPollMs);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  /** Call after a commit that wrote outbox rows: relays now rather than at the next poll. */
  nudge(): void {
    this.relay.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
