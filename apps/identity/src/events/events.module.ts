import { Module } from '@nestjs/common';
import { SharedModule } from '../shared/shared.module';
import { IdentityEvents, IdentityOutboxRelay } from './identity-events';

/** Identity's durable side effects (audit, principal state, e-mails, SMS) and the relay of its outbox. */
@Module({ imports: [SharedModule], providers: [IdentityEvents, IdentityOutboxRelay], exports: [IdentityEvents, IdentityOutboxRelay] })
export class EventsModule {}
