import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { SharedModule } from '../shared/shared.module';
import { UsersModule } from '../users/users.module';
import { CredentialIssuer } from './credential-issuer';
import { CredentialsHandlers } from './credentials.handlers';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService } from './credentials.service';

/** Login credentials: issue with split delivery channels, listing, unlock, welcome e-mail. */
@Module({
  imports: [SharedModule, EventsModule, UsersModule],
  controllers: [CredentialsHandlers],
  providers: [CredentialsRepository, CredentialIssuer, CredentialsService],
  exports: [CredentialsRepository, CredentialIssuer],
})
export class CredentialsModule {}
