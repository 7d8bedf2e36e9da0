import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  AuthorizationsQueries,
  AuthorizationView,
  GetAuthorizationPayload,
  ListAuthorizationsPayload,
  Page,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { AuthorizationsService } from './authorizations.service';

@Controller()
export class AuthorizationsHandlers {
  constructor(private readonly authorizations: AuthorizationsService) {}

  @MessagePattern(AuthorizationsQueries.listAuthorizations.pattern)
  list(@Payload() p: ListAuthorizationsPayload, @RpcActor() actor: Actor): Promise<Page<AuthorizationView>> {
    const { companyId, userId, ...query } = p;
    return this.authorizations.list(actor, companyId, userId, query);
  }

  @MessagePattern(AuthorizationsQueries.getAuthorization.pattern)
  get(@Payload() p: GetAuthorizationPayload, @RpcActor() actor: Actor): Promise<AuthorizationView> {
    return this.authorizations.get(actor, p.authorizationId);
  }
}
