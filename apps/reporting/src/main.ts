import 'reflect-metadata';
import { bootstrapService } from '@procura/messaging';
import { ReportingModule } from './reporting.module';

void bootstrapService('reporting', (config) => ReportingModule.forRoot(config));
