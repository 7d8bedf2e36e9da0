import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { createSystemController, FaultPoints, PlatformModule } from '@procura/messaging';
import { ReportAccessPolicy } from './access/report-access.policy';
import { DeliveriesHandlers } from './deliveries/deliveries.handlers';
import { DeliveriesRepository } from './deliveries/deliveries.repository';
import { DeliveriesService } from './deliveries/deliveries.service';
import { DeliveryChangesService } from './deliveries/delivery-changes.service';
import { DemoDeliveriesSeed } from './deliveries/demo-deliveries.seed';
import { DiskDocumentStorage, DocumentStorage } from './documents/document-storage';
import { DocumentsHandlers } from './documents/documents.handlers';
import { DocumentsRepository } from './documents/documents.repository';
import { DocumentsService } from './documents/documents.service';
import { DownloadTickets } from './documents/download-ticket';
import { ReportBuilder } from './reports/report-builder';
import { ReportDataSource, ServiceReportDataSource } from './reports/report-data.source';
import { ReportJobsWorker } from './reports/report-jobs.worker';
import { ReportReadyNotifier } from './reports/report-ready.notifier';
import { ReportsHandlers } from './reports/reports.handlers';
import { ReportsRepository } from './reports/reports.repository';
import { ReportsService } from './reports/reports.service';
import { Clock } from './shared/clock';
import { ReportingEvents, ReportingOutboxRelay } from './shared/reporting-events';

/** The reporting service: report orders and builds, documents and their retention, deliveries. */
@Module({})
export class ReportingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ReportingModule,
      imports: [PlatformModule.forService(config)],
      controllers: [createSystemController('reporting'), ReportsHandlers, DocumentsHandlers, DeliveriesHandlers],
      providers: [
        Clock,
        { provide: FaultPoints, useFactory: () => new FaultPoints(config) },
        ReportingEvents,
        ReportingOutboxRelay,
        ReportAccessPolicy,
        { provide: DocumentStorage, useFactory: () => DiskDocumentStorage.fromConfig(config) },
        { provide: DownloadTickets, useFactory: () => new DownloadTickets(config.secretsKey) },
        { provide: ReportDataSource, useClass: ServiceReportDataSource },
        ReportsRepository,
        ReportsService,
        ReportBuilder,
        ReportReadyNotifier,
        ReportJobsWorker,
        DocumentsRepository,
        DocumentsService,
        DeliveriesRepository,
        DeliveriesService,
        DeliveryChangesService,
        DemoDeliveriesSeed,
      ],
    };
  }
}
