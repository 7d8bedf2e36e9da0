import { DynamicModule, Module } from '@nestjs/common';
import { ChangesModule } from '@procura/changes';
import { AppConfig } from '@procura/config';
import { createSystemController, PlatformModule } from '@procura/messaging';
import { AuthModule } from './auth/auth.module';
import { IdentityChangeFollowUp } from './changes/identity-change-follow-up';
import { IdentityChangesModule } from './changes/changes.module';
import { CompaniesModule } from './companies/companies.module';
import { CredentialsModule } from './credentials/credentials.module';
import { EdiModule } from './edi/edi.module';
import { OperatorsModule } from './operators/operators.module';
import { SeedModule } from './seed/seed.module';
import { UsersModule } from './users/users.module';

/** The identity service: companies, persons, credentials, sign-in, EDI signatures, and its change kinds. */
@Module({})
export class IdentityModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: IdentityModule,
      imports: [
        PlatformModule.forService(config),
        OperatorsModule,
        CompaniesModule,
        UsersModule,
        CredentialsModule,
        AuthModule,
        EdiModule,
        IdentityChangesModule,
        SeedModule,
        ChangesModule.forOwner({
          service: 'identity',
          imports: [IdentityChangesModule],
          afterCommit: IdentityChangeFollowUp,
        }),
      ],
      controllers: [createSystemController('identity')],
    };
  }
}
