import 'reflect-metadata';
import { bootstrapService } from '@procura/messaging';
import { IdentityModule } from './identity.module';

void bootstrapService('identity', (config) => IdentityModule.forRoot(config));
