import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { createSystemController, PlatformModule } from '@procura/messaging';
import { AuthHandlers } from './auth/auth.handlers';
import { AuthService } from './auth/auth.service';
import { SessionRevoker } from './auth/session-revoker';
import { SessionsRepository } from './auth/sessions.repository';
import { ChangesHandlers } from './changes/changes.handlers';
import { ChangesRepository } from './changes/changes.repository';
import { ChangesService } from './changes/changes.service';
import { CredentialCreateHandler, CredentialResetHandler, CredentialRevokeHandler } from './changes/credential-change-handlers';
import {
  AdminSignatureSetHandler,
  UserActivateHandler,
  UserChangeRules,
  UserCreateHandler,
  UserDeleteHandler,
  UserReactivateHandler,
  UserSuspendHandler,
  UserUpdateHandler,
} from './changes/user-change-handlers';
import { CompaniesHandlers } from './companies/companies.handlers';
import { CompaniesRepository } from './companies/companies.repository';
import { CompaniesService } from './companies/companies.service';
import { IdempotencyStore } from './companies/idempotency.store';
import { CredentialIssuer } from './credentials/credential-issuer';
import { CredentialsRepository } from './credentials/credentials.repository';
import { CredentialsService } from './credentials/credentials.service';
import { EdiHandlers } from './edi/edi.handlers';
import { EdiRepository } from './edi/edi.repository';
import { EdiService } from './edi/edi.service';
import { IdentityEvents, IdentityOutboxRelay } from './events/identity-events';
import { OperatorsHandlers } from './operators/operators.handlers';
import { OperatorsRepository } from './operators/operators.repository';
import { OperatorsService } from './operators/operators.service';
import { DemoSeedService } from './seed/demo-seed.service';
import { Clock } from './shared/clock';
import { AccessService } from './users/access.service';
import { UsersHandlers } from './users/users.handlers';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

const CHANGE_KIND_HANDLERS = [
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
];

@Module({})
export class IdentityModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: IdentityModule,
      imports: [PlatformModule.forService(config)],
      controllers: [
        createSystemController('identity'),
        OperatorsHandlers,
        CompaniesHandlers,
        UsersHandlers,
        ChangesHandlers,
        AuthHandlers,
        EdiHandlers,
      ],
      providers: [
        Clock,
        IdentityEvents,
        IdentityOutboxRelay,
        OperatorsRepository,
        OperatorsService,
        CompaniesRepository,
        CompaniesService,
        IdempotencyStore,
        UsersRepository,
        AccessService,
        UsersService,
        UserChangeRules,
        CredentialsRepository,
        CredentialIssuer,
        CredentialsService,
        SessionsRepository,
        SessionRevoker,
        AuthService,
        ChangesRepository,
        ChangesService,
        ...CHANGE_KIND_HANDLERS,
        EdiRepository,
        EdiService,
        DemoSeedService,
      ],
    };
  }
}
