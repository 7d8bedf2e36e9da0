import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  FailedNotificationPayload,
  FailedNotificationView,
  ListFailedNotificationsPayload,
  ListMessagesPayload,
  MessageView,
  NotificationsCommands,
  Page,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { MessagesService } from './messages.service';

@Controller()
export class MessagesHandlers {
  constructor(private readonly messages: MessagesService) {}

  @MessagePattern(NotificationsCommands.listMessages.pattern)
  list(@Payload() payload: ListMessagesPayload, @RpcActor() actor: Actor): Promise<Page<MessageView>> {
    return this.messages.list(actor, payload.companyId, payload);
  }

  @MessagePattern(NotificationsCommands.listFailed.pattern)
  listFailed(@Payload() payload: ListFailedNotificationsPayload, @RpcActor() actor: Actor): Promise<FailedNotificationView[]> {
    return this.messages.listFailed(actor, payload.companyId);
  }

  @MessagePattern(NotificationsCommands.getFailed.pattern)
  getFailed(@Payload() payload: FailedNotificationPayload, @RpcActor() actor: Actor): Promise<FailedNotificationView> {
    return this.messages.getFailed(actor, payload.jobId);
  }

  @MessagePattern(NotificationsCommands.retryFailed.pattern)
  retryFailed(@Payload() payload: FailedNotificationPayload, @RpcActor() actor: Actor): Promise<{ jobId: string; retried: true }> {
    return this.messages.retryFailed(actor, payload.jobId);
  }
}
