import { Body, Controller, Get, Param, Patch, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, ChangeSubmissionResult, DeliveryPage, PageQueryDto, ReportingCommands, UpdateDeliveryDto } from '@procura/contracts';
import { CommandBus } from '@procura/messaging';
import type { FastifyReply } from 'fastify';
import { CurrentActor, SourceIp } from '../auth/auth.guard';
import { changeResponse, ChangeSubmitter } from '../changes/change-submitter';
import { ChangeSubmissionView } from '../users/change-submission.view';
import { IdempotencyKey } from '../http/idempotency-key';
import { uuidPipe } from '../http/uuid.pipe';

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller()
export class DeliveriesController {
  constructor(
    private readonly bus: CommandBus,
    private readonly submitter: ChangeSubmitter,
  ) {}

  @Get('companies/:companyId/deliveries')
  @ApiOperation({
    summary: "The company's deliveries (livraisons): account statements, interest closings, payment confirmations, camt notifications",
  })
  @ApiOkResponse({ type: DeliveryPage })
  list(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Query() query: PageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<DeliveryPage> {
    return this.bus.execute(ReportingCommands.listDeliveries, { companyId, ...query }, { actor });
  }

  @Patch('deliveries/:deliveryId')
  @ApiOperation({ summary: 'Change a delivery (format, frequency, channel, active) through a change request (company administrator)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key returns the first result' })
  @ApiOkResponse({ type: ChangeSubmissionView, description: 'Applied at once: the change request id and the delivery' })
  @ApiAcceptedResponse({ type: ChangeSubmissionView, description: 'Waiting for a second validation: the change request' })
  async update(
    @Param('deliveryId', uuidPipe('deliveryId')) deliveryId: string,
    @Body() body: UpdateDeliveryDto,
    @CurrentActor() actor: Actor,
    @SourceIp() sourceIp: string | undefined,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<ChangeSubmissionResult> {
    return changeResponse(
      res,
      await this.submitter.submit(actor, 'DELIVERY_UPDATE', { deliveryId, ...body }, { idempotencyKey, sourceIp }),
      200,
    );
  }
}
