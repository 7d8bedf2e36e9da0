import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { DocumentsModule } from '../documents/documents.module';
import { SharedModule } from '../shared/shared.module';
import { ReportBuilder } from './report-builder';
import { ReportDataSource, ServiceReportDataSource } from './report-data.source';
import { ReportJobsWorker } from './report-jobs.worker';
import { ReportReadyNotifier } from './report-ready.notifier';
import { ReportsHandlers } from './reports.handlers';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Report orders, their asynchronous builds and the "report ready" notice. */
@Module({
  imports: [SharedModule, AccessModule, DocumentsModule, DeliveriesModule],
  controllers: [ReportsHandlers],
  providers: [
    { provide: ReportDataSource, useClass: ServiceReportDataSource },
    ReportsRepository,
    ReportsService,
    ReportBuilder,
    ReportReadyNotifier,
    ReportJobsWorker,
  ],
})
export class ReportsModule {}
