import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  ApproveChangeDto,
  ChangePolicyView,
  ChangePreview,
  ChangeRequestCommands,
  ChangeRequestPage,
  ChangeRequestView,
  ChangeSubmissionResult,
  ListChangeRequestsQuery,
  PolicyUpdateChange,
  RejectChangeDto,
  SubmitBatchDto,
} from '@procura/contracts';
import { NotFoundError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import type { FastifyReply } from 'fastify';
import { CurrentActor, SourceIp } from '../auth/auth.guard';
import { IdempotencyKey } from '../http/idempotency-key';
import { uuidPipe } from '../http/uuid.pipe';
import { ChangeSubmissionView } from '../users/change-submission.view';
import { changeResponse, ChangeSubmitter, requireMaker } from './change-submitter';

@ApiTags('change requests')
@ApiBearerAuth()
@Controller()
export class ChangeRequestsController {
  constructor(
    private readonly bus: CommandBus,
    private readonly submitter: ChangeSubmitter,
  ) {}

  @Get('companies/:companyId/change-requests')
  @ApiOperation({ summary: 'Validator inbox: change requests of the company, newest first (filter by status, kind, maker, age)' })
  @ApiOkResponse({ type: ChangeRequestPage })
  list(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Query() query: ListChangeRequestsQuery,
    @CurrentActor() actor: Actor,
  ): Promise<ChangeRequestPage> {
    return this.bus.execute(ChangeRequestCommands.list, { ...query, companyId }, { actor });
  }

  @Post('companies/:companyId/change-requests/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'What submitting these items would do: the validation a submission runs, nothing written',
    description:
      'Same body as a submission. Answers each item as validated (summary, diff, subjects), whether it would apply at once, and who could approve it.',
  })
  @ApiOkResponse({ type: ChangePreview })
  preview(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Body() body: SubmitBatchDto,
    @CurrentActor() actor: Actor,
  ): Promise<ChangePreview> {
    requireMaker(actor, companyId);
    return this.bus.execute(ChangeRequestCommands.preview, { companyId, items: body.items }, { actor, timeoutMs: 60_000 });
  }

  @Post('companies/:companyId/change-requests')
  @ApiOperation({
    summary: 'Submit several changes as one request (a batch or a composite), validated and applied together',
    description:
      'An item may name itself with `ref`; a later item writes `{"$ref": name}` where an id of what that item creates is expected ' +
      '(e.g. USER_CREATE ref person → RIGHTS_TEMPLATE with userId {"$ref": "person"} → CREDENTIAL_CREATE for the same). ' +
      'One request, one approval; items apply in order, each once. ' +
      'The operators managing the company submit here too (seed 003: the client set-up): their request follows the client’s policy like an individual signature and is named in its audit trail.',
  })
  @ApiCreatedResponse({ type: ChangeSubmissionView, description: 'Applied at once' })
  @ApiAcceptedResponse({ type: ChangeSubmissionView, description: 'Waiting for validation' })
  async submitBatch(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Body() body: SubmitBatchDto,
    @CurrentActor() actor: Actor,
    @SourceIp() sourceIp: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ChangeSubmissionResult> {
    if (actor.kind === 'user' && actor.companyId !== companyId) throw new NotFoundError('Company');
    return changeResponse(res, await this.submitter.submitBatch(actor, body.items, { idempotencyKey, sourceIp, batch: true, companyId }));
  }

  @Get('change-requests/:id')
  @ApiOperation({ summary: 'One change request with its diff; its maker sees a one-time secret (if any) once' })
  @ApiOkResponse({ type: ChangeRequestView })
  get(@Param('id', uuidPipe('id')) id: string, @CurrentActor() actor: Actor): Promise<ChangeRequestView> {
    return this.bus.execute(ChangeRequestCommands.get, { changeRequestId: id }, { actor });
  }

  @Post('change-requests/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve (another administrator of the company, with a fresh TOTP code)' })
  @ApiOkResponse({ type: ChangeRequestView })
  approve(
    @Param('id', uuidPipe('id')) id: string,
    @Body() body: ApproveChangeDto,
    @CurrentActor() actor: Actor,
  ): Promise<ChangeRequestView> {
    return this.bus.execute(ChangeRequestCommands.approve, { changeRequestId: id, totpCode: body.totpCode }, { actor, timeoutMs: 40_000 });
  }

  @Post('change-requests/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject with a reason' })
  @ApiOkResponse({ type: ChangeRequestView })
  reject(@Param('id', uuidPipe('id')) id: string, @Body() body: RejectChangeDto, @CurrentActor() actor: Actor): Promise<ChangeRequestView> {
    return this.bus.execute(ChangeRequestCommands.reject, { changeRequestId: id, reason: body.reason }, { actor });
  }

  @Post('change-requests/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel (the maker, while pending)' })
  @ApiOkResponse({ type: ChangeRequestView })
  cancel(@Param('id', uuidPipe('id')) id: string, @CurrentActor() actor: Actor): Promise<ChangeRequestView> {
    return this.bus.execute(ChangeRequestCommands.cancel, { changeRequestId: id }, { actor });
  }

  @Get('companies/:companyId/change-policy')
  @ApiOperation({ summary: 'The dual-control policy of the company' })
  @ApiOkResponse({ type: ChangePolicyView })
  policy(@Param('companyId', uuidPipe('companyId')) companyId: string, @CurrentActor() actor: Actor): Promise<ChangePolicyView> {
    return this.bus.execute(ChangeRequestCommands.policy, { companyId }, { actor });
  }

  @Put('companies/:companyId/change-policy')
  @ApiOperation({ summary: 'Change the policy: always a change request approved by another administrator' })
  @ApiOkResponse({ type: ChangeSubmissionView, description: 'Applied at once' })
  @ApiAcceptedResponse({ type: ChangeSubmissionView, description: 'Waiting for validation' })
  async updatePolicy(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Body() body: PolicyUpdateChange,
    @CurrentActor() actor: Actor,
    @SourceIp() sourceIp: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ChangeSubmissionResult> {
    if (actor.kind !== 'user' || actor.companyId !== companyId) throw new NotFoundError('Company');
    return changeResponse(
      res,
      await this.submitter.submit(actor, 'POLICY_UPDATE', { rules: body.rules }, { idempotencyKey, sourceIp }),
      200,
    );
  }
}
