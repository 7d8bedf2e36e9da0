import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { createSystemController, PlatformModule } from '@procura/messaging';

/** The notifications service: reachable and health-checked; its features arrive with their issues. */
@Module({})
export class NotificationsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [PlatformModule.forService(config)],
      controllers: [createSystemController('notifications')],
      providers: [],
    };
  }
}
