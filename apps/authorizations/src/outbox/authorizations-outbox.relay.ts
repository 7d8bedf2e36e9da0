import { Injectable } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { PrismaService } from '@procura/database';
import { OutboxRelayLifecycle, QueueRegistry } from '@procura/messaging';

/** Relays the authorizations schema's outbox to BullMQ for the life of the process. */
@Injectable()
export class AuthorizationsOutboxRelay extends OutboxRelayLifecycle {
  constructor(config: AppConfig, prisma: PrismaService, queues: QueueRegistry) {
    super('authorizations', config, prisma, queues);
  }
}
