import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  ApiKeyIssued,
  ApiKeyPage,
  ApiKeyView,
  CreateOperatorDto,
  IssueApiKeyDto,
  OperatorCommands,
  OperatorCreated,
  OperatorLoginDto,
  OperatorPage,
  OperatorView,
  PageQueryDto,
  PortfolioEntry,
  PortfolioPage,
  SessionTokens,
  StepUpDto,
} from '@procura/contracts';
import { CommandBus } from '@procura/messaging';
import { CurrentActor, OperatorOnly, Public, SourceIp } from '../auth/auth.guard';
import { uuidPipe } from '../http/uuid.pipe';

const SUPERVISOR_ONLY =
  'Supervisors of the organisation only, signed in interactively (an API key cannot manage operators or keys); an operator or company of another organisation answers 404.';

/** Operators' sign-in (the session then continues at /auth/totp/verify, /auth/refresh, /auth/password, /auth/totp/enrol|confirm, /auth/logout). */
@ApiTags('operators')
@Controller('auth/operators')
export class OperatorAuthController {
  constructor(private readonly bus: CommandBus) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Operator sign-in: login id or e-mail, password, and a TOTP code once enrolled',
    description:
      'Strong authentication is mandatory for operators: the first sign-in (provisional password) leads to the password change, then to the TOTP enrolment (POST /auth/totp/enrol and /auth/totp/confirm); every later sign-in needs a code: `totpCode` with the password, or POST /auth/totp/verify after it (the answer then has scope totp-verification). A failure never says which of login, password or code was wrong; 5 failures lock the operator for LOGIN_LOCKOUT_MINUTES; attempts share the sign-in budget per address.',
  })
  @ApiOkResponse({ type: SessionTokens })
  login(@Body() body: OperatorLoginDto, @SourceIp() sourceIp?: string): Promise<SessionTokens> {
    return this.bus.execute(OperatorCommands.login, { ...body, sourceIp });
  }
}

@ApiTags('operators')
@ApiBearerAuth()
@OperatorOnly()
@Controller()
export class OperatorsController {
  constructor(private readonly bus: CommandBus) {}

  @Get('operators/me')
  @ApiOperation({ summary: 'The signed-in operator (or the operator an API key acts as)' })
  @ApiOkResponse({ type: OperatorView })
  me(@CurrentActor() actor: Actor): Promise<OperatorView> {
    return this.bus.execute(OperatorCommands.me, {}, { actor });
  }

  @Post('operators')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create an operator of your organisation (supervisor)',
    description: `${SUPERVISOR_ONLY} The answer shows the provisional password once: hand it to the operator, who changes it and enrols TOTP at the first sign-in.`,
  })
  @ApiCreatedResponse({ type: OperatorCreated })
  create(@Body() body: CreateOperatorDto, @CurrentActor() actor: Actor, @SourceIp() sourceIp?: string): Promise<OperatorCreated> {
    return this.bus.execute(OperatorCommands.create, { ...body, sourceIp }, { actor });
  }

  @Get('operators')
  @ApiOperation({ summary: "List your organisation's operators (supervisor)", description: SUPERVISOR_ONLY })
  @ApiOkResponse({ type: OperatorPage })
  list(@Query() query: PageQueryDto, @CurrentActor() actor: Actor): Promise<OperatorPage> {
    return this.bus.execute(OperatorCommands.list, query, { actor });
  }

  @Get('operators/:operatorId')
  @ApiOperation({ summary: 'One operator of your organisation (supervisor), or yourself' })
  @ApiOkResponse({ type: OperatorView })
  get(@Param('operatorId', uuidPipe('operatorId')) operatorId: string, @CurrentActor() actor: Actor): Promise<OperatorView> {
    return this.bus.execute(OperatorCommands.get, { operatorId }, { actor });
  }

  @Post('operators/:operatorId/suspend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Suspend an operator (supervisor): their sessions end and their API keys are refused at once',
    description: `${SUPERVISOR_ONLY} Nobody suspends themselves.`,
  })
  @ApiOkResponse({ type: OperatorView })
  suspend(@Param('operatorId', uuidPipe('operatorId')) operatorId: string, @CurrentActor() actor: Actor): Promise<OperatorView> {
    return this.bus.execute(OperatorCommands.suspend, { operatorId }, { actor });
  }

  @Post('operators/:operatorId/reactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reactivate a suspended operator (supervisor)', description: SUPERVISOR_ONLY })
  @ApiOkResponse({ type: OperatorView })
  reactivate(@Param('operatorId', uuidPipe('operatorId')) operatorId: string, @CurrentActor() actor: Actor): Promise<OperatorView> {
    return this.bus.execute(OperatorCommands.reactivate, { operatorId }, { actor });
  }

  @Delete('operators/:operatorId')
  @ApiOperation({
    summary: 'Remove an operator (supervisor): sessions ended, API keys revoked, portfolio emptied',
    description: `${SUPERVISOR_ONLY} Nobody removes themselves.`,
  })
  @ApiOkResponse({ type: OperatorView })
  remove(@Param('operatorId', uuidPipe('operatorId')) operatorId: string, @CurrentActor() actor: Actor): Promise<OperatorView> {
    return this.bus.execute(OperatorCommands.remove, { operatorId }, { actor });
  }

  @Get('operators/:operatorId/portfolio')
  @ApiOperation({ summary: "An operator's portfolio of client companies (the operator, or a supervisor)" })
  @ApiOkResponse({ type: PortfolioPage })
  portfolio(
    @Param('operatorId', uuidPipe('operatorId')) operatorId: string,
    @Query() query: PageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<PortfolioPage> {
    return this.bus.execute(OperatorCommands.portfolio, { ...query, operatorId }, { actor });
  }

  @Put('operators/:operatorId/portfolio/:companyId')
  @ApiOperation({
    summary: "Put a client company of the organisation in an operator's portfolio (supervisor)",
    description: SUPERVISOR_ONLY,
  })
  @ApiOkResponse({ type: PortfolioEntry })
  assign(
    @Param('operatorId', uuidPipe('operatorId')) operatorId: string,
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @CurrentActor() actor: Actor,
  ): Promise<PortfolioEntry> {
    return this.bus.execute(OperatorCommands.assign, { operatorId, companyId }, { actor });
  }

  @Delete('operators/:operatorId/portfolio/:companyId')
  @ApiOperation({ summary: "Take a company out of an operator's portfolio (supervisor)", description: SUPERVISOR_ONLY })
  @ApiOkResponse({ description: 'Unassigned', schema: { type: 'object', properties: { unassigned: { type: 'boolean', enum: [true] } } } })
  unassign(
    @Param('operatorId', uuidPipe('operatorId')) operatorId: string,
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @CurrentActor() actor: Actor,
  ): Promise<{ unassigned: true }> {
    return this.bus.execute(OperatorCommands.unassign, { operatorId, companyId }, { actor });
  }

  @Post('api-keys')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Issue an API key for a machine integration (supervisor, with a fresh TOTP code)',
    description: `${SUPERVISOR_ONLY} The key acts as the operator it is issued to, within the organisation. It is shown once; only its hash is stored.`,
  })
  @ApiCreatedResponse({ type: ApiKeyIssued })
  issue(@Body() body: IssueApiKeyDto, @CurrentActor() actor: Actor): Promise<ApiKeyIssued> {
    return this.bus.execute(OperatorCommands.issueApiKey, body, { actor });
  }

  @Get('api-keys')
  @ApiOperation({ summary: "The organisation's API keys, with their last-used time (supervisor)", description: SUPERVISOR_ONLY })
  @ApiOkResponse({ type: ApiKeyPage })
  listKeys(@Query() query: PageQueryDto, @CurrentActor() actor: Actor): Promise<ApiKeyPage> {
    return this.bus.execute(OperatorCommands.listApiKeys, query, { actor });
  }

  @Post('api-keys/:apiKeyId/rotate')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Rotate an API key (supervisor, with a fresh TOTP code): a new key, the old one refused at once',
    description: SUPERVISOR_ONLY,
  })
  @ApiCreatedResponse({ type: ApiKeyIssued })
  rotate(
    @Param('apiKeyId', uuidPipe('apiKeyId')) apiKeyId: string,
    @Body() body: StepUpDto,
    @CurrentActor() actor: Actor,
  ): Promise<ApiKeyIssued> {
    return this.bus.execute(OperatorCommands.rotateApiKey, { ...body, apiKeyId }, { actor });
  }

  @Post('api-keys/:apiKeyId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key (supervisor): refused at once', description: SUPERVISOR_ONLY })
  @ApiOkResponse({ type: ApiKeyView })
  revoke(@Param('apiKeyId', uuidPipe('apiKeyId')) apiKeyId: string, @CurrentActor() actor: Actor): Promise<ApiKeyView> {
    return this.bus.execute(OperatorCommands.revokeApiKey, { apiKeyId }, { actor });
  }
}
