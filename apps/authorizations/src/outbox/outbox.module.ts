import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthorizationsOutboxRelay } from './authorizations-outbox.relay';

/** The relay of the authorizations outbox (its own audit events go straight to the trail). */
@Module({ imports: [AuditModule], providers: [AuthorizationsOutboxRelay], exports: [AuthorizationsOutboxRelay] })
export class OutboxModule {}
