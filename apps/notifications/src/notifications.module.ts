import { DynamicModule, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { createSystemController, PlatformModule } from '@procura/messaging';
import { DeliveryService } from './delivery/delivery.service';
import { NotificationJobsProcessor } from './delivery/notification-jobs.processor';
import { MessagesHandlers } from './messages/messages.handlers';
import { MessagesRepository } from './messages/messages.repository';
import { MessagesService } from './messages/messages.service';
import { MailSender } from './providers/mail-sender';
import { createSmsProvider, OutboxSmsProvider, SmsProvider } from './providers/sms-provider';

/** The notifications service: e-mail and SMS delivery from the notifications queue, and the message log. */
@Module({})
export class NotificationsModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationsModule.name);

  constructor(private readonly sms: SmsProvider) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [PlatformModule.forService(config)],
      controllers: [createSystemController('notifications'), MessagesHandlers],
      providers: [
        { provide: SmsProvider, useFactory: () => createSmsProvider(config) },
        MailSender,
        MessagesRepository,
        MessagesService,
        DeliveryService,
        NotificationJobsProcessor,
      ],
    };
  }

  onApplicationBootstrap(): void {
    if (this.sms instanceof OutboxSmsProvider)
      this.logger.log({ msg: `SMS are written to the development outbox ${this.sms.dir}`, smsOutbox: this.sms.dir });
    else this.logger.log({ msg: `SMS go through the ${this.sms.name} provider` });
  }
}
