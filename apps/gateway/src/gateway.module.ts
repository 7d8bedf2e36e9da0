import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '@procura/config';
import { PlatformModule } from '@procura/messaging';
import { Authenticator, AuthGuard } from './auth/auth.guard';
import { GatewayRedis } from './http/gateway-redis';
import { RedisReads } from './http/redis-reads';
import { CatalogController } from './catalog/catalog.controller';
import { PricingOffersController } from './catalog/pricing-offers.controller';
import { CompaniesController } from './companies/companies.controller';
import { AuditController } from './changes/audit.controller';
import { ChangeRequestsController } from './changes/change-requests.controller';
import { ChangeSubmitter } from './changes/change-submitter';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { NotificationsController } from './notifications/notifications.controller';
import { ReportsController } from './reports/reports.controller';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { AuthController } from './auth/auth.controller';
import { StepUp } from './auth/step-up';
import { EdiController } from './edi/edi.controller';
import { UsersController } from './users/users.controller';
import { AuthorizationsController } from './authorizations/authorizations.controller';
import { CheckController } from './check/check.controller';
import { CompiledRightsCache } from './check/compiled-rights.cache';
import { RightsAccess } from './check/rights-access';
import { RightsChecker } from './check/rights-checker';
import { ResourcesController } from './resources/resources.controller';
import { OperatorAuthController, OperatorsController } from './operators/operators.controller';

@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forService(config)],
      controllers: [
        CheckController,
        HealthController,
        CompaniesController,
        CatalogController,
        PricingOffersController,
        ChangeRequestsController,
        AuditController,
        NotificationsController,
        ReportsController,
        DeliveriesController,
        AuthController,
        UsersController,
        EdiController,
        ResourcesController,
        AuthorizationsController,
        OperatorAuthController,
        OperatorsController,
      ],
      providers: [
        HealthService,
        RedisReads,
        Authenticator,
        ChangeSubmitter,
        GatewayRedis,
        StepUp,
        CompiledRightsCache,
        RightsAccess,
        RightsChecker,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
