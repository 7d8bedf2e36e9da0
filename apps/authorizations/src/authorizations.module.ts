import { DynamicModule, Module } from '@nestjs/common';
import { ChangesModule } from '@procura/changes';
import { AppConfig } from '@procura/config';
import { createSystemController, PlatformModule } from '@procura/messaging';
import { AuditModule } from './audit/audit.module';
import { AuthorizationsCoreModule } from './authorizations/authorizations-core.module';
import { CatalogModule } from './catalog/catalog.module';
import { ChangePolicyModule } from './change-policy/change-policy.module';
import { ChangeRequestsModule } from './change-requests/change-requests.module';
import { AuthorizationChangesModule } from './changes/changes.module';
import { RightsInvalidation } from './changes/rights-change-effects';
import { ResourcesAdminModule } from './resources/resources-admin.module';
import { RightsModule } from './rights/rights.module';

/**
 * The authorizations service: catalog, resources, authorizations, rights and the check,
 * the change kinds it owns, and the change-request workflow with the audit trail.
 */
@Module({})
export class AuthorizationsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthorizationsModule,
      imports: [
        PlatformModule.forService(config),
        CatalogModule,
        ResourcesAdminModule,
        AuthorizationsCoreModule,
        RightsModule,
        AuditModule,
        AuthorizationChangesModule,
        ChangePolicyModule,
        ChangeRequestsModule,
        // The workflow runs here: this service's own kinds are applied in-process, the others over RPC.
        ChangesModule.forOwner({
          service: 'authorizations',
          imports: [AuthorizationChangesModule],
          afterCommit: RightsInvalidation,
        }),
      ],
      controllers: [createSystemController('authorizations')],
    };
  }
}
