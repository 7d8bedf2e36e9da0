import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { createSystemController, PlatformModule } from '@procura/messaging';
import { CompaniesHandlers } from './companies/companies.handlers';
import { CompaniesRepository } from './companies/companies.repository';
import { CompaniesService } from './companies/companies.service';
import { IdempotencyStore } from './companies/idempotency.store';
import { OperatorsHandlers } from './operators/operators.handlers';
import { OperatorsRepository } from './operators/operators.repository';
import { OperatorsService } from './operators/operators.service';
import { DemoSeedService } from './seed/demo-seed.service';

@Module({})
export class IdentityModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: IdentityModule,
      imports: [PlatformModule.forService(config)],
      controllers: [createSystemController('identity'), OperatorsHandlers, CompaniesHandlers],
      providers: [OperatorsRepository, OperatorsService, CompaniesRepository, CompaniesService, IdempotencyStore, DemoSeedService],
    };
  }
}
