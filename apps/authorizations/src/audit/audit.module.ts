import { Module } from '@nestjs/common';
import { CompanyAccessModule } from '../company-access/company-access.module';
import { AuditHandlers } from './audit.handlers';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditWorker } from './audit.worker';

/** The hash-chained audit trail of every company (and of the platform). */
@Module({
  imports: [CompanyAccessModule],
  controllers: [AuditHandlers],
  providers: [AuditRepository, AuditService, AuditWorker],
  exports: [AuditService, AuditRepository],
})
export class AuditModule {}
