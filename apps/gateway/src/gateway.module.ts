import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AppConfig } from '@procura/config';
import { PlatformModule } from '@procura/messaging';
import { Authenticator, AuthGuard } from './auth/auth.guard';
import { CatalogController } from './catalog/catalog.controller';
import { CompaniesController } from './companies/companies.controller';
import { ChangeSubmitter } from './changes/change-submitter';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { ProblemFilter } from './http/problem.filter';

@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forService(config)],
      controllers: [HealthController, CompaniesController, CatalogController],
      providers: [HealthService, Authenticator, ChangeSubmitter, { provide: APP_GUARD, useClass: AuthGuard }, { provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
