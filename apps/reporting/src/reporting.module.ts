import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { createSystemController, PlatformModule } from '@procura/messaging';

/** The reporting service: reachable and health-checked; its features arrive with their issues. */
@Module({})
export class ReportingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ReportingModule,
      imports: [PlatformModule.forService(config)],
      controllers: [createSystemController('reporting')],
      providers: [],
    };
  }
}
