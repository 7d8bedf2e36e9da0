import { Module } from '@nestjs/common';
import { AuthorizationsOutboxRelay } from './authorizations-outbox.relay';

@Module({ providers: [AuthorizationsOutboxRelay], exports: [AuthorizationsOutboxRelay] })
export class OutboxModule {}
