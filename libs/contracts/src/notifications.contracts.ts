import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Matches } from 'class-validator';
import { Optional } from './input-rules';
import { Page, PageQueryDto } from './pagination';
import { defineCommand } from './rpc';

export enum MessageChannel {
  EMAIL = 'EMAIL',
  SMS = 'SMS',
}

export enum MessageStatus {
  /** Handed to the e-mail server or SMS provider right now. */
  SENDING = 'SENDING',
  /** The last attempt failed without delivering; the job tries again with backoff. */
  RETRYING = 'RETRYING',
  SENT = 'SENT',
  /** Given up (attempts used, refused for good, or delivery outcome unknown): a dead letter an operator may retry. */
  FAILED = 'FAILED',
}

/** One entry of a company's message log: what was sent to whom, never what secret it carried. */
export class MessageView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: MessageChannel }) channel: MessageChannel;
  @ApiProperty({ example: 'welcome-login-id' }) template: string;
  @ApiProperty({ description: 'Masked e-mail address or phone number', example: 'j***@example.com' }) recipient: string;
  @ApiProperty({ enum: MessageStatus }) status: MessageStatus;
  @ApiProperty({ description: 'Delivery attempts so far' }) attempts: number;
  @ApiPropertyOptional({ description: 'Why the last attempt failed (never message content)' }) lastError?: string;
  @ApiPropertyOptional({ description: 'Job id, for the dead-letter retry when FAILED' }) jobId?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) sentAt?: string;
}

export class MessagePage implements Page<MessageView> {
  @ApiProperty({ type: [MessageView] }) items: MessageView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

/** A notification job that failed for good (dead letter), as operators see it. */
export class FailedNotificationView {
  @ApiProperty({ description: 'BullMQ job id (use it to retry)' }) jobId: string;
  @ApiProperty({ enum: ['send-email', 'send-sms'] }) job: string;
  @ApiPropertyOptional() eventKey?: string;
  @ApiPropertyOptional({ format: 'uuid' }) companyId?: string;
  @ApiPropertyOptional({ enum: MessageChannel }) channel?: MessageChannel;
  @ApiPropertyOptional() template?: string;
  @ApiPropertyOptional({ description: 'Masked recipient' }) recipient?: string;
  @ApiProperty({ description: 'Why the last attempt failed' }) failedReason: string;
  @ApiProperty() attemptsMade: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) failedAt?: string;
}

export class FailedNotificationPage implements Page<FailedNotificationView> {
  @ApiProperty({ type: [FailedNotificationView] }) items: FailedNotificationView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

/** Job ids of notifications: `msg-<hash>` (notificationJobId) or any BullMQ-safe id. */
export const NOTIFICATION_JOB_ID = /^[A-Za-z0-9._-]{1,200}$/;

export class ListMessagesPayload extends PageQueryDto {
  @IsUUID() companyId: string;
}

export class ListFailedNotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the dead letters of this company' })
  @Optional()
  @IsUUID()
  companyId?: string;
}

export class ListFailedNotificationsPayload {
  @Optional() @IsUUID() companyId?: string;
}

export class FailedNotificationPayload {
  @IsString()
  @Matches(NOTIFICATION_JOB_ID, { message: 'jobId must be a notification job id' })
  jobId: string;
}

/** Most recent dead letters examined by one listing (they are few: failures are rare and visible). */
export const FAILED_NOTIFICATIONS_SCAN_LIMIT = 1000;

export const NotificationsCommands = {
  /** The company's message log, newest first (the gateway checks the operator manages the company). */
  listMessages: defineCommand<ListMessagesPayload, Page<MessageView>>('notifications', 'notifications.messages.list'),
  /** Dead letters, newest first, at most FAILED_NOTIFICATIONS_SCAN_LIMIT (the gateway filters and pages them per operator). */
  listFailed: defineCommand<ListFailedNotificationsPayload, FailedNotificationView[]>('notifications', 'notifications.failed.list'),
  getFailed: defineCommand<FailedNotificationPayload, FailedNotificationView>('notifications', 'notifications.failed.get'),
  /** Puts a dead letter back in the queue with fresh attempts; it sends even when the outcome was unknown. */
  retryFailed: defineCommand<FailedNotificationPayload, { jobId: string; retried: true }>('notifications', 'notifications.failed.retry'),
};
