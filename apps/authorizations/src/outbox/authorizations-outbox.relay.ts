import { Injectable } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { AuditEventJob, QUEUES } from '@procura/contracts';
import { PrismaService } from '@procura/database';
import { OutboxRelayLifecycle, QueueRegistry } from '@procura/messaging';
import { AuditRepository } from '../audit/audit.repository';

/**
 * Relays the authorizations schema's outbox to BullMQ for the life of the process, except
 * its own audit events: the trail is in this service, so they are appended to their
 * chains in the relay's transaction (in batches) rather than sent through Redis to itself.
 */
@Injectable()
export class AuthorizationsOutboxRelay extends OutboxRelayLifecycle {
  constructor(config: AppConfig, prisma: PrismaService, queues: QueueRegistry, audit: AuditRepository) {
    super('authorizations', config, prisma, queues, {
      [QUEUES.audit]: async (tx, rows) => {
        await audit.appendMany(
          tx,
          rows.map((r) => r.data as unknown as AuditEventJob),
        );
      },
    });
  }
}
