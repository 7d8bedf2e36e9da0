import 'reflect-metadata';
import { bootstrapService } from '@procura/messaging';
import { NotificationsModule } from './notifications.module';

void bootstrapService('notifications', (config) => NotificationsModule.forRoot(config));
