import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  ApiKeyIdPayload,
  ApiKeyIssued,
  ApiKeyPrincipal,
  ApiKeyView,
  AssignmentPayload,
  AuthenticateApiKeyPayload,
  CreateOperatorPayload,
  IssueApiKeyPayload,
  ListApiKeysPayload,
  ListOperatorsPayload,
  OperatorCommands,
  OperatorCreated,
  OperatorIdPayload,
  OperatorLoginPayload,
  OperatorView,
  Page,
  PortfolioEntry,
  PortfolioPayload,
  RotateApiKeyPayload,
  SessionTokens,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { OperatorAuthService } from '../auth/operator-auth.service';
import { OperatorsService } from './operators.service';

@Controller()
export class OperatorsHandlers {
  constructor(
    private readonly operators: OperatorsService,
    private readonly auth: OperatorAuthService,
  ) {}

  @MessagePattern(OperatorCommands.login.pattern)
  login(@Payload() p: OperatorLoginPayload): Promise<SessionTokens> {
    return this.auth.login(p.login, p.password, p.totpCode, p.sourceIp);
  }

  @MessagePattern(OperatorCommands.authenticateApiKey.pattern)
  authenticateApiKey(@Payload() p: AuthenticateApiKeyPayload): Promise<ApiKeyPrincipal> {
    return this.operators.authenticateApiKey(p.apiKey);
  }

  @MessagePattern(OperatorCommands.me.pattern)
  me(@RpcActor() actor: Actor): Promise<OperatorView> {
    return this.operators.me(actor);
  }

  @MessagePattern(OperatorCommands.create.pattern)
  create(@Payload() p: CreateOperatorPayload, @RpcActor() actor: Actor): Promise<OperatorCreated> {
    const { sourceIp, ...input } = p;
    return this.operators.create(actor, input, sourceIp);
  }

  @MessagePattern(OperatorCommands.list.pattern)
  list(@Payload() p: ListOperatorsPayload, @RpcActor() actor: Actor): Promise<Page<OperatorView>> {
    return this.operators.list(actor, p);
  }

  @MessagePattern(OperatorCommands.get.pattern)
  get(@Payload() p: OperatorIdPayload, @RpcActor() actor: Actor): Promise<OperatorView> {
    return this.operators.get(actor, p.operatorId);
  }

  @MessagePattern(OperatorCommands.suspend.pattern)
  suspend(@Payload() p: OperatorIdPayload, @RpcActor() actor: Actor): Promise<OperatorView> {
    return this.operators.setStatus(actor, p.operatorId, 'SUSPENDED');
  }

  @MessagePattern(OperatorCommands.reactivate.pattern)
  reactivate(@Payload() p: OperatorIdPayload, @RpcActor() actor: Actor): Promise<OperatorView> {
    return this.operators.setStatus(actor, p.operatorId, 'ACTIVE');
  }

  @MessagePattern(OperatorCommands.remove.pattern)
  remove(@Payload() p: OperatorIdPayload, @RpcActor() actor: Actor): Promise<OperatorView> {
    return this.operators.setStatus(actor, p.operatorId, 'REMOVED');
  }

  @MessagePattern(OperatorCommands.assign.pattern)
  assign(@Payload() p: AssignmentPayload, @RpcActor() actor: Actor): Promise<PortfolioEntry> {
    return this.operators.assign(actor, p.operatorId, p.companyId);
  }

  @MessagePattern(OperatorCommands.unassign.pattern)
  unassign(@Payload() p: AssignmentPayload, @RpcActor() actor: Actor): Promise<{ unassigned: true }> {
    return this.operators.unassign(actor, p.operatorId, p.companyId);
  }

  @MessagePattern(OperatorCommands.portfolio.pattern)
  portfolio(@Payload() p: PortfolioPayload, @RpcActor() actor: Actor): Promise<Page<PortfolioEntry>> {
    const { operatorId, ...query } = p;
    return this.operators.portfolio(actor, operatorId, query);
  }

  @MessagePattern(OperatorCommands.issueApiKey.pattern)
  issueApiKey(@Payload() p: IssueApiKeyPayload, @RpcActor() actor: Actor): Promise<ApiKeyIssued> {
    return this.operators.issueApiKey(actor, p);
  }

  @MessagePattern(OperatorCommands.listApiKeys.pattern)
  listApiKeys(@Payload() p: ListApiKeysPayload, @RpcActor() actor: Actor): Promise<Page<ApiKeyView>> {
    return this.operators.listApiKeys(actor, p);
  }

  @MessagePattern(OperatorCommands.rotateApiKey.pattern)
  rotateApiKey(@Payload() p: RotateApiKeyPayload, @RpcActor() actor: Actor): Promise<ApiKeyIssued> {
    return this.operators.rotateApiKey(actor, p.apiKeyId, p.totpCode);
  }

  @MessagePattern(OperatorCommands.revokeApiKey.pattern)
  revokeApiKey(@Payload() p: ApiKeyIdPayload, @RpcActor() actor: Actor): Promise<ApiKeyView> {
    return this.operators.revokeApiKey(actor, p.apiKeyId);
  }
}
