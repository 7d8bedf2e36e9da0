import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import {
  type Actor,
  FailedNotificationPage,
  ListFailedNotificationsQueryDto,
  MessagePage,
  NOTIFICATION_JOB_ID,
  NotificationsCommands,
  PageQueryDto,
  pageWindow,
} from '@procura/contracts';
import { ValidationFailedError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import { CurrentActor, OperatorOnly } from '../auth/auth.guard';
import { uuidPipe } from '../http/uuid.pipe';

class RetryResult {
  @ApiProperty() jobId: string;
  @ApiProperty({ enum: [true] }) retried: true;
}

function jobIdOf(jobId: string): string {
  if (!NOTIFICATION_JOB_ID.test(jobId))
    throw new ValidationFailedError([{ field: 'jobId', messages: ['jobId must be a notification job id'] }]);
  return jobId;
}

/** Operators: a company's message log and the notifications that failed for good (dead letters). */
@ApiTags('notifications')
@ApiBearerAuth()
@OperatorOnly()
@Controller()
export class NotificationsController {
  constructor(private readonly bus: CommandBus) {}

  @Get('companies/:companyId/messages')
  @ApiOperation({ summary: 'Messages sent for a company, newest first (recipient masked, never the secret carried)' })
  @ApiOkResponse({ type: MessagePage })
  @ApiNotFoundResponse({ description: 'The company does not exist or the operator does not manage it' })
  messages(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Query() query: PageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<MessagePage> {
    return this.bus.execute(NotificationsCommands.listMessages, { companyId, page: query.page, pageSize: query.pageSize }, { actor });
  }

  @Get('notifications/failed')
  @ApiOperation({ summary: 'Notifications that failed for good (dead letters) of the companies the operator manages, newest first' })
  @ApiOkResponse({ type: FailedNotificationPage })
  async failed(@Query() query: ListFailedNotificationsQueryDto, @CurrentActor() actor: Actor): Promise<FailedNotificationPage> {
    const all = await this.bus.execute(NotificationsCommands.listFailed, query.companyId ? { companyId: query.companyId } : {}, { actor });
    const { page, pageSize, skip } = pageWindow(query);
    return { items: all.slice(skip, skip + pageSize), page, pageSize, total: all.length };
  }

  @Post('notifications/failed/:jobId/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Put a dead letter back in the queue with fresh attempts (sends it again even when its outcome was unknown)' })
  @ApiParam({ name: 'jobId', description: 'Job id from the dead-letter list or the message log' })
  @ApiAcceptedResponse({ type: RetryResult, description: 'The dead letter is back in the queue' })
  @ApiNotFoundResponse({ description: 'No failed notification with this id among the companies the operator manages' })
  retry(@Param('jobId') jobId: string, @CurrentActor() actor: Actor): Promise<RetryResult> {
    return this.bus.execute(NotificationsCommands.retryFailed, { jobId: jobIdOf(jobId) }, { actor });
  }
}
