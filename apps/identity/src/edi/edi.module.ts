import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { EventsModule } from '../events/events.module';
import { SharedModule } from '../shared/shared.module';
import { UsersModule } from '../users/users.module';
import { EdiHandlers } from './edi.handlers';
import { EdiRepository } from './edi.repository';
import { EdiService } from './edi.service';

/** EDI signatures (seed 004). */
@Module({
  imports: [SharedModule, EventsModule, UsersModule, CredentialsModule],
  controllers: [EdiHandlers],
  providers: [EdiRepository, EdiService],
})
export class EdiModule {}
