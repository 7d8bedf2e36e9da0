import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  AdminSignatureDto,
  ChangeKind,
  ChangeSubmissionResult,
  CreateCredentialRequestDto,
  CreateUserDto,
  CredentialView,
  IdentityAccessCommands,
  ListUsersQueryDto,
  ResetCredentialDto,
  UpdateUserDto,
  UserPage,
  UserView,
  WelcomeEmailSent,
} from '@procura/contracts';
import { NotFoundError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import type { FastifyReply } from 'fastify';
import { CurrentActor, SourceIp } from '../auth/auth.guard';
import { StepUp } from '../auth/step-up';
import { ChangeSubmitter, changeResponse } from '../changes/change-submitter';
import { IdempotencyKey } from '../http/idempotency-key';
import { uuidPipe } from '../http/uuid.pipe';
import { ChangeSubmissionView } from './change-submission.view';

const IDEMPOTENCY = { name: 'Idempotency-Key', required: false, description: 'Retrying with the same key returns the first result' };

@ApiTags('users')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(
    private readonly bus: CommandBus,
    private readonly changes: ChangeSubmitter,
    private readonly stepUp: StepUp,
  ) {}

  @Post('companies/:companyId/users')
  @ApiOperation({
    summary: 'Create a user (USER_CREATE change, by an administrator or an operator managing the company)',
    description:
      "A change request like the composite endpoint's. An operator's counts as the bank's validation (one signature): it " +
      "applies at once unless the company's policy asks for its administrators' approval, and asks no more approvals than " +
      'they could give (none able: at once, e.g. its first administrator). An administrator an operator registers signs ' +
      'INDIVIDUAL unless told otherwise.',
  })
  @ApiHeader(IDEMPOTENCY)
  @ApiCreatedResponse({ description: 'Applied at once: `result.user` is the user', type: ChangeSubmissionView })
  @ApiAcceptedResponse({ type: ChangeSubmissionView, description: 'Waiting for the approval of the company administrators' })
  async create(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Body() body: CreateUserDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ChangeSubmissionResult> {
    this.sameCompany(actor, companyId);
    const items = [{ kind: 'USER_CREATE' as const, payload: { ...body } }];
    return changeResponse(res, await this.changes.submitBatch(actor, items, { ...forCompany(actor, companyId), idempotencyKey, sourceIp }));
  }

  @Get('companies/:companyId/users')
  @ApiOperation({ summary: "The company's users (operators managing it, its administrators)" })
  @ApiOkResponse({ type: UserPage })
  list(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Query() query: ListUsersQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<UserPage> {
    return this.bus.execute(IdentityAccessCommands.listUsers, { ...query, companyId }, { actor });
  }

  @Get('users/:userId')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserView })
  get(@Param('userId', uuidPipe('userId')) userId: string, @CurrentActor() actor: Actor): Promise<UserView> {
    return this.bus.execute(IdentityAccessCommands.getUser, { userId }, { actor });
  }

  @Patch('users/:userId')
  @ApiOperation({ summary: 'Edit a user (USER_UPDATE change)' })
  @ApiOkResponse({ type: ChangeSubmissionView })
  @ApiAcceptedResponse({ type: ChangeSubmissionView })
  update(
    @Param('userId', uuidPipe('userId')) userId: string,
    @Body() body: UpdateUserDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
    @IdempotencyKey() key?: string,
  ) {
    return this.submit(res, actor, 'USER_UPDATE', { ...body, userId }, sourceIp, key);
  }

  @Delete('users/:userId')
  @ApiOperation({ summary: 'Delete a user (USER_DELETE change); the last active administrator cannot be deleted' })
  @ApiOkResponse({ type: ChangeSubmissionView })
  @ApiAcceptedResponse({ type: ChangeSubmissionView })
  remove(
    @Param('userId', uuidPipe('userId')) userId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
    @IdempotencyKey() key?: string,
  ) {
    return this.submit(res, actor, 'USER_DELETE', { userId }, sourceIp, key);
  }

  @Post('users/:userId/activate')
  @ApiOperation({
    summary: 'Activate a registered (deferred) user (USER_ACTIVATE change)',
    description:
      "Administrators and the operators managing the user's company: a USER_ACTIVATE change. An operator's counts as the " +
      "bank's validation (one signature): it applies at once unless the company's policy asks for its administrators' approval.",
  })
  @ApiOkResponse({ type: ChangeSubmissionView })
  @ApiAcceptedResponse({ type: ChangeSubmissionView })
  async activate(
    @Param('userId', uuidPipe('userId')) userId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
    @IdempotencyKey() key?: string,
  ): Promise<ChangeSubmissionResult> {
    const items = [{ kind: 'USER_ACTIVATE' as const, payload: { userId } }];
    const submitted = await this.changes.submitBatch(actor, items, {
      ...(await this.companyOfUser(actor, userId)),
      idempotencyKey: key,
      sourceIp,
    });
    return changeResponse(res, submitted, 200);
  }

  @Post('users/:userId/suspend')
  @ApiOperation({ summary: 'Suspend a user (USER_SUSPEND change): their sessions end at once' })
  @ApiOkResponse({ type: ChangeSubmissionView })
  @ApiAcceptedResponse({ type: ChangeSubmissionView })
  suspend(
    @Param('userId', uuidPipe('userId')) userId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
    @IdempotencyKey() key?: string,
  ) {
    return this.submit(res, actor, 'USER_SUSPEND', { userId }, sourceIp, key);
  }

  @Post('users/:userId/reactivate')
  @ApiOperation({ summary: 'Reactivate a suspended user (USER_REACTIVATE change)' })
  @ApiOkResponse({ type: ChangeSubmissionView })
  @ApiAcceptedResponse({ type: ChangeSubmissionView })
  reactivate(
    @Param('userId', uuidPipe('userId')) userId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
    @IdempotencyKey() key?: string,
  ) {
    return this.submit(res, actor, 'USER_REACTIVATE', { userId }, sourceIp, key);
  }

  @Put('users/:userId/admin-signature')
  @ApiOperation({ summary: "Set an administrator's signature NONE / INDIVIDUAL / COLLECTIVE (ADMIN_SIGNATURE_SET change)" })
  @ApiOkResponse({ type: ChangeSubmissionView })
  @ApiAcceptedResponse({ type: ChangeSubmissionView })
  adminSignature(
    @Param('userId', uuidPipe('userId')) userId: string,
    @Body() body: AdminSignatureDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
    @IdempotencyKey() key?: string,
  ) {
    return this.submit(res, actor, 'ADMIN_SIGNATURE_SET', { ...body, userId }, sourceIp, key);
  }

  @Get('users/:userId/credentials')
  @ApiOperation({ summary: "A user's credentials" })
  @ApiOkResponse({ type: [CredentialView] })
  credentials(@Param('userId', uuidPipe('userId')) userId: string, @CurrentActor() actor: Actor): Promise<CredentialView[]> {
    return this.bus.execute(IdentityAccessCommands.listCredentials, { userId }, { actor });
  }

  @Post('users/:userId/credentials')
  @ApiOperation({
    summary: 'Create the credential of a user (CREDENTIAL_CREATE change)',
    description:
      'Administrators confirm with a fresh TOTP code (totpCode); operators, who signed in with one, need none. ' +
      'A credential can be prepared for a user to be activated later. The login id goes by e-mail (unless ' +
      '`sendWelcomeEmail` is false), the provisional password by SMS; without a phone it is in `revealOnce`, shown this one time.',
  })
  @ApiHeader(IDEMPOTENCY)
  @ApiCreatedResponse({ type: ChangeSubmissionView, description: 'Applied at once: `result` is the credential' })
  @ApiAcceptedResponse({ type: ChangeSubmissionView })
  async createCredential(
    @Param('userId', uuidPipe('userId')) userId: string,
    @Body() body: CreateCredentialRequestDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ChangeSubmissionResult> {
    const { totpCode, ...credential } = body;
    if (actor.kind !== 'operator') await this.stepUp.require(actor, totpCode, `create a credential for user ${userId}`);
    const items = [{ kind: 'CREDENTIAL_CREATE' as const, payload: { ...credential, userId } }];
    const submitted = await this.changes.submitBatch(actor, items, {
      ...(await this.companyOfUser(actor, userId)),
      idempotencyKey,
      sourceIp,
    });
    return changeResponse(res, submitted);
  }

  @Post('credentials/:credentialId/revoke')
  @ApiOperation({ summary: 'Revoke a credential (CREDENTIAL_REVOKE change): its sessions end at once' })
  @ApiOkResponse({ type: ChangeSubmissionView })
  @ApiAcceptedResponse({ type: ChangeSubmissionView })
  revoke(
    @Param('credentialId', uuidPipe('credentialId')) credentialId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
    @IdempotencyKey() key?: string,
  ) {
    return this.submit(res, actor, 'CREDENTIAL_REVOKE', { credentialId }, sourceIp, key);
  }

  @Post('credentials/:credentialId/reset')
  @ApiOperation({ summary: 'New provisional password (CREDENTIAL_RESET change), optionally removing the enrolled TOTP' })
  @ApiOkResponse({ type: ChangeSubmissionView })
  @ApiAcceptedResponse({ type: ChangeSubmissionView })
  reset(
    @Param('credentialId', uuidPipe('credentialId')) credentialId: string,
    @Body() body: ResetCredentialDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @SourceIp() sourceIp?: string,
    @IdempotencyKey() key?: string,
  ) {
    return this.submit(res, actor, 'CREDENTIAL_RESET', { ...body, credentialId }, sourceIp, key);
  }

  @Post('credentials/:credentialId/unlock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unlock a credential locked after repeated failures (administrator or operator, audited)' })
  @ApiOkResponse({ type: CredentialView })
  unlock(
    @Param('credentialId', uuidPipe('credentialId')) credentialId: string,
    @CurrentActor() actor: Actor,
    @SourceIp() sourceIp?: string,
  ): Promise<CredentialView> {
    return this.bus.execute(IdentityAccessCommands.unlockCredential, { credentialId, sourceIp }, { actor });
  }

  @Post('users/:userId/welcome-email')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the welcome e-mail with the login id again (seed 003)' })
  @ApiOkResponse({ type: WelcomeEmailSent })
  welcome(
    @Param('userId', uuidPipe('userId')) userId: string,
    @CurrentActor() actor: Actor,
    @SourceIp() sourceIp?: string,
  ): Promise<WelcomeEmailSent> {
    return this.bus.execute(IdentityAccessCommands.resendWelcomeEmail, { userId, sourceIp }, { actor });
  }

  private async submit(
    res: FastifyReply,
    actor: Actor,
    kind: ChangeKind,
    payload: Record<string, unknown>,
    sourceIp?: string,
    idempotencyKey?: string,
  ): Promise<ChangeSubmissionResult> {
    return changeResponse(res, await this.changes.submit(actor, kind, payload, { idempotencyKey, sourceIp }), 200);
  }

  private sameCompany(actor: Actor, companyId: string): void {
    if (actor.kind === 'user' && actor.companyId !== companyId) throw new NotFoundError('Company');
  }

  /**
   * Operators submit for a company they name (issue 16): the user's, read within the
   * operator's reach, so a user outside it is 404 before anything is submitted.
   */
  private async companyOfUser(actor: Actor, userId: string): Promise<{ companyId?: string }> {
    if (actor.kind !== 'operator') return {};
    const { companyId } = await this.bus.execute(IdentityAccessCommands.getUser, { userId }, { actor });
    return { companyId };
  }
}

/** An operator's request names its company; an administrator's is always their own. */
const forCompany = (actor: Actor, companyId: string): { companyId?: string } => (actor.kind === 'operator' ? { companyId } : {});
