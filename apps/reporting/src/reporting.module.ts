import { DynamicModule, Module } from '@nestjs/common';
import { ChangesModule } from '@procura/changes';
import { AppConfig } from '@procura/config';
import { createSystemController, PlatformModule } from '@procura/messaging';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { DocumentsModule } from './documents/documents.module';
import { ReportsModule } from './reports/reports.module';
import { SharedModule } from './shared/shared.module';

/** The reporting service: report orders and builds, documents and their retention, deliveries. */
@Module({})
export class ReportingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ReportingModule,
      imports: [
        PlatformModule.forService(config),
        SharedModule,
        DocumentsModule,
        DeliveriesModule,
        ReportsModule,
        ChangesModule.forOwner({ service: 'reporting' }),
      ],
      controllers: [createSystemController('reporting')],
    };
  }
}
