import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { UsersModule } from '../users/users.module';
import { CredentialCreateHandler, CredentialResetHandler, CredentialRevokeHandler } from './credential-change-handlers';
import { IdentityChangeFollowUp } from './identity-change-follow-up';
import {
  AdminSignatureSetHandler,
  UserActivateHandler,
  UserCreateHandler,
  UserDeleteHandler,
  UserReactivateHandler,
  UserSuspendHandler,
  UserUpdateHandler,
} from './user-change-handlers';

/** Identity's change kinds, one handler each (found by @procura/changes at boot). */
@Module({
  imports: [UsersModule, CredentialsModule, AuthModule],
  providers: [
    UserCreateHandler,
    UserUpdateHandler,
    UserActivateHandler,
    UserSuspendHandler,
    UserReactivateHandler,
    UserDeleteHandler,
    AdminSignatureSetHandler,
    CredentialCreateHandler,
    CredentialRevokeHandler,
    CredentialResetHandler,
    IdentityChangeFollowUp,
  ],
  exports: [IdentityChangeFollowUp],
})
export class IdentityChangesModule {}
