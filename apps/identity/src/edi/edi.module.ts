import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { EventsModule } from '../events/events.module';
import { SharedModule } from '../shared/shared.module';
import { UsersModule } from '../users/users.module';
import { EdiExpiryReminders } from './edi-expiry-reminders';
import { EdiHandlers } from './edi.handlers';
import { EdiSendingRight } from './edi-sending-right';
import { EdiRepository } from './edi.repository';
import { EdiService } from './edi.service';

/** EDI signatures (seed 004): tied to the EDI sending right, reminded before they expire. */
@Module({
  imports: [SharedModule, EventsModule, UsersModule, CredentialsModule],
  controllers: [EdiHandlers],
  providers: [EdiRepository, EdiService, EdiSendingRight, EdiExpiryReminders],
})
export class EdiModule {}
