import { Module } from '@nestjs/common';
import { AuthorizationsCoreModule } from '../authorizations/authorizations-core.module';
import { CatalogModule } from '../catalog/catalog.module';
import { CompanyAccessModule } from '../company-access/company-access.module';
import { PrincipalsModule } from '../principals/principals.module';
import { ResourcesModule } from '../resources/resources.module';
import { PrincipalChangeListeners } from './principal-change-listeners';
import { PrincipalSyncWorker } from './principal-sync.worker';
import { RightsCompiler } from './rights-compiler';
import { RightsGenerations } from './rights-generations';
import { RightsHandlers } from './rights.handlers';
import { RightsService } from './rights.service';

/** Effective rights and the check: compiled rights, their generation tokens, the principal projection's updates. */
@Module({
  imports: [AuthorizationsCoreModule, CatalogModule, CompanyAccessModule, PrincipalsModule, ResourcesModule],
  controllers: [RightsHandlers],
  providers: [RightsGenerations, RightsCompiler, RightsService, PrincipalSyncWorker, PrincipalChangeListeners],
  exports: [RightsService, RightsCompiler, RightsGenerations, PrincipalChangeListeners],
})
export class RightsModule {}
