import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { UsersModule } from '../users/users.module';
import { OperatorsDataModule } from '../operators/operators-data.module';
import { CompaniesHandlers } from './companies.handlers';
import { CompaniesRepository } from './companies.repository';
import { CompaniesService } from './companies.service';
import { IdempotencyStore } from './idempotency.store';

/** Client companies, created and managed by operators. */
@Module({
  imports: [EventsModule, UsersModule, OperatorsDataModule],
  controllers: [CompaniesHandlers],
  providers: [CompaniesRepository, CompaniesService, IdempotencyStore],
  exports: [IdempotencyStore],
})
export class CompaniesModule {}
