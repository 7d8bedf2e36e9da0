import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  AssignUsersDto,
  AuthorizationPage,
  AuthorizationsQueries,
  AuthorizationView,
  AuthorizeAllDto,
  ChangeCommands,
  ChangeSubmissionResult,
  ChangeValidation,
  CreateAuthorizationDto,
  EffectiveRightsQuery,
  EffectiveRightsView,
  ListAuthorizationsQuery,
  RightsCopyDto,
  RightsTemplateDto,
  UpdateAuthorizationDto,
} from '@procura/contracts';
import { ForbiddenError, NotFoundError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import type { FastifyReply } from 'fastify';
import { CurrentActor, SourceIp } from '../auth/auth.guard';
import { changeResponse, ChangeSubmitter, requireMaker } from '../changes/change-submitter';
import { ChangeSubmissionView } from '../users/change-submission.view';
import { IdempotencyKey } from '../http/idempotency-key';
import { uuidPipe } from '../http/uuid.pipe';
import { RightsChecker } from '../check/rights-checker';

const CHANGE_DOC =
  'Applied at once (201/200 with the result and the change request id) or waiting for a second administrator (202 with the change request).';

/** An administrator acts only inside their own company; another company does not exist for them. */
function ownCompany(actor: Actor, companyId: string): void {
  if (actor.kind !== 'user' || actor.companyId !== companyId) {
    if (actor.kind === 'operator') throw new ForbiddenError('Authorizations are changed by the company administrators');
    throw new NotFoundError('Company');
  }
}

@ApiTags('authorizations')
@ApiBearerAuth()
@Controller()
export class AuthorizationsController {
  constructor(
    private readonly bus: CommandBus,
    private readonly changes: ChangeSubmitter,
    private readonly rights: RightsChecker,
  ) {}

  @Post('companies/:companyId/authorizations')
  @ApiOperation({
    summary: 'Create an authorization: characteristics, users, rights and levels (seed 000, steps 2 to 4)',
    description: CHANGE_DOC,
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: ChangeSubmissionView, description: 'Applied; `result.authorizationId` is the new authorization' })
  @ApiAcceptedResponse({ type: ChangeSubmissionView, description: 'Waiting for validation' })
  async create(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Body() dto: CreateAuthorizationDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @IdempotencyKey() idempotencyKey?: string,
    @SourceIp() sourceIp?: string,
  ): Promise<ChangeSubmissionResult> {
    ownCompany(actor, companyId);
    return changeResponse(res, await this.changes.submit(actor, 'AUTHORIZATION_CREATE', { ...dto }, { idempotencyKey, sourceIp }));
  }

  @Post('companies/:companyId/authorizations/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The confirmation step (seed 000, step 5): what creating this authorization would do, without doing it',
    description: 'Administrators of the company only, like the change it previews.',
  })
  @ApiOkResponse({ type: ChangeValidation })
  async preview(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Body() dto: CreateAuthorizationDto,
    @CurrentActor() actor: Actor,
  ): Promise<ChangeValidation> {
    ownCompany(actor, companyId);
    requireMaker(actor);
    const validation = await this.bus.execute(
      ChangeCommands.validate('authorizations'),
      { kind: 'AUTHORIZATION_CREATE', companyId, payload: { ...dto } },
      { actor },
    );
    return { ...validation };
  }

  @Get('companies/:companyId/authorizations')
  @ApiOperation({ summary: "The company's authorizations, newest first (administrators, or the operator managing it)" })
  @ApiOkResponse({ type: AuthorizationPage })
  list(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Query() query: ListAuthorizationsQuery,
    @CurrentActor() actor: Actor,
  ): Promise<AuthorizationPage> {
    return this.bus.execute(AuthorizationsQueries.listAuthorizations, { companyId, ...query }, { actor });
  }

  @Get('authorizations/:authorizationId')
  @ApiOperation({ summary: 'One authorization with its grants and users' })
  @ApiOkResponse({ type: AuthorizationView })
  get(
    @Param('authorizationId', uuidPipe('authorizationId')) authorizationId: string,
    @CurrentActor() actor: Actor,
  ): Promise<AuthorizationView> {
    return this.bus.execute(AuthorizationsQueries.getAuthorization, { authorizationId }, { actor });
  }

  @Patch('authorizations/:authorizationId')
  @ApiOkResponse({ type: ChangeSubmissionView, description: 'Applied at once' })
  @ApiAcceptedResponse({ type: ChangeSubmissionView, description: 'Waiting for validation' })
  @ApiOperation({ summary: 'Change the label, dates or grants of an authorization', description: CHANGE_DOC })
  async update(
    @Param('authorizationId', uuidPipe('authorizationId')) authorizationId: string,
    @Body() dto: UpdateAuthorizationDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
  ): Promise<ChangeSubmissionResult> {
    return changeResponse(res, await this.changes.submit(actor, 'AUTHORIZATION_UPDATE', { ...dto, authorizationId }, { sourceIp }), 200);
  }

  @Delete('authorizations/:authorizationId')
  @ApiOkResponse({ type: ChangeSubmissionView, description: 'Applied at once' })
  @ApiAcceptedResponse({ type: ChangeSubmissionView, description: 'Waiting for validation' })
  @ApiOperation({ summary: 'Delete an authorization (its users lose its rights)', description: CHANGE_DOC })
  async remove(
    @Param('authorizationId', uuidPipe('authorizationId')) authorizationId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
  ): Promise<ChangeSubmissionResult> {
    return changeResponse(res, await this.changes.submit(actor, 'AUTHORIZATION_DELETE', { authorizationId }, { sourceIp }), 200);
  }

  @Post('authorizations/:authorizationId/users')
  @ApiCreatedResponse({ type: ChangeSubmissionView, description: 'Applied at once' })
  @ApiAcceptedResponse({ type: ChangeSubmissionView, description: 'Waiting for validation' })
  @ApiOperation({
    summary: 'Give the authorization to users of the company, or take it from them (seed 000, step 3)',
    description: CHANGE_DOC,
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async assign(
    @Param('authorizationId', uuidPipe('authorizationId')) authorizationId: string,
    @Body() dto: AssignUsersDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @IdempotencyKey() idempotencyKey?: string,
    @SourceIp() sourceIp?: string,
  ): Promise<ChangeSubmissionResult> {
    return changeResponse(
      res,
      await this.changes.submit(actor, 'AUTHORIZATION_ASSIGN', { ...dto, authorizationId }, { idempotencyKey, sourceIp }),
      200,
    );
  }

  @Post('users/:userId/rights/template')
  @ApiCreatedResponse({ type: ChangeSubmissionView, description: 'Applied at once' })
  @ApiAcceptedResponse({ type: ChangeSubmissionView, description: 'Waiting for validation' })
  @ApiOperation({
    summary: 'Give rights from a template: DIRECTOR, ACCOUNTANT, PREPARER or VALIDATOR (the last two customisable)',
    description: CHANGE_DOC,
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async template(
    @Param('userId', uuidPipe('userId')) userId: string,
    @Body() dto: RightsTemplateDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @IdempotencyKey() idempotencyKey?: string,
    @SourceIp() sourceIp?: string,
  ): Promise<ChangeSubmissionResult> {
    return changeResponse(res, await this.changes.submit(actor, 'RIGHTS_TEMPLATE', { ...dto, userId }, { idempotencyKey, sourceIp }));
  }

  @Post('users/:userId/rights/copy')
  @ApiCreatedResponse({ type: ChangeSubmissionView, description: 'Applied at once' })
  @ApiAcceptedResponse({ type: ChangeSubmissionView, description: 'Waiting for validation' })
  @ApiOperation({ summary: "Copy another user's rights, optionally excluding services or resources", description: CHANGE_DOC })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async copy(
    @Param('userId', uuidPipe('userId')) userId: string,
    @Body() dto: RightsCopyDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @IdempotencyKey() idempotencyKey?: string,
    @SourceIp() sourceIp?: string,
  ): Promise<ChangeSubmissionResult> {
    return changeResponse(res, await this.changes.submit(actor, 'RIGHTS_COPY', { ...dto, userId }, { idempotencyKey, sourceIp }));
  }

  @Post('users/:userId/rights/authorize-all')
  @ApiCreatedResponse({ type: ChangeSubmissionView, description: 'Applied at once' })
  @ApiAcceptedResponse({ type: ChangeSubmissionView, description: 'Waiting for validation' })
  @ApiOperation({
    summary: 'Authorize all: one profile per contract type over every contract of the company (and per service)',
    description: `Where a profile is not allowed, the closest lower one is given and listed in result.substitutions. ${CHANGE_DOC}`,
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async authorizeAll(
    @Param('userId', uuidPipe('userId')) userId: string,
    @Body() dto: AuthorizeAllDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @IdempotencyKey() idempotencyKey?: string,
    @SourceIp() sourceIp?: string,
  ): Promise<ChangeSubmissionResult> {
    return changeResponse(res, await this.changes.submit(actor, 'RIGHTS_AUTHORIZE_ALL', { ...dto, userId }, { idempotencyKey, sourceIp }));
  }

  @Get('users/:userId/effective-rights')
  @ApiOperation({ summary: "A user's effective rights at an instant (default now)" })
  @ApiOkResponse({ type: EffectiveRightsView })
  effectiveRights(
    @Param('userId', uuidPipe('userId')) userId: string,
    @Query() query: EffectiveRightsQuery,
    @CurrentActor() actor: Actor,
  ): Promise<EffectiveRightsView> {
    return this.rights.effectiveRights(actor, userId, query.at);
  }
}
