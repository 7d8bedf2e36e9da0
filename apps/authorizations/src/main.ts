import 'reflect-metadata';
import { bootstrapService } from '@procura/messaging';
import { AuthorizationsModule } from './authorizations.module';

void bootstrapService('authorizations', (config) => AuthorizationsModule.forRoot(config));
