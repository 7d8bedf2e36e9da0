import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CompanyAccessModule } from '../company-access/company-access.module';
import { PrincipalsModule } from '../principals/principals.module';
import { ResourcesModule } from '../resources/resources.module';
import { AuthorizationRulesService } from './authorization-rules.service';
import { AuthorizationsHandlers } from './authorizations.handlers';
import { AuthorizationsRepository } from './authorizations.repository';
import { AuthorizationsService } from './authorizations.service';

/** Authorizations (named profiles of grants), read here, with the rules every change of them obeys. */
@Module({
  imports: [CatalogModule, CompanyAccessModule, PrincipalsModule, ResourcesModule],
  controllers: [AuthorizationsHandlers],
  providers: [AuthorizationsRepository, AuthorizationsService, AuthorizationRulesService],
  exports: [AuthorizationsRepository, AuthorizationRulesService],
})
export class AuthorizationsCoreModule {}
