import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { EventsModule } from '../events/events.module';
import { SharedModule } from '../shared/shared.module';
import { OperatorsDataModule } from '../operators/operators-data.module';
import { UsersModule } from '../users/users.module';
import { AuthHandlers } from './auth.handlers';
import { AuthService } from './auth.service';
import { CompanySwitchService } from './company-switch.service';
import { OperatorAuthService } from './operator-auth.service';
import { SessionRevoker } from './session-revoker';
import { SessionsRepository } from './sessions.repository';
import { SignInSteps } from './sign-in-steps';

/** Sign-in, sessions and strong authentication. */
@Module({
  imports: [SharedModule, EventsModule, CredentialsModule, UsersModule, OperatorsDataModule],
  controllers: [AuthHandlers],
  providers: [SessionsRepository, SessionRevoker, SignInSteps, AuthService, OperatorAuthService, CompanySwitchService],
  exports: [SessionRevoker, AuthService, OperatorAuthService],
})
export class AuthModule {}
