import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  CredentialIdPayload,
  CredentialIssuedWithSecret,
  CredentialView,
  IdentityAccessCommands,
  OperatorCreateCredentialPayload,
  UserIdPayload,
  WelcomeEmailSent,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { CredentialsService } from './credentials.service';

/** Credentials outside change requests: listing, an operator's first credential, welcome e-mail, unlock. */
@Controller()
export class CredentialsHandlers {
  constructor(private readonly credentials: CredentialsService) {}

  @MessagePattern(IdentityAccessCommands.listCredentials.pattern)
  listCredentials(@Payload() p: UserIdPayload, @RpcActor() actor: Actor): Promise<CredentialView[]> {
    return this.credentials.list(actor, p.userId);
  }

  @MessagePattern(IdentityAccessCommands.operatorCreateCredential.pattern)
  operatorCreate(@Payload() p: OperatorCreateCredentialPayload, @RpcActor() actor: Actor): Promise<CredentialIssuedWithSecret> {
    return this.credentials.operatorCreate(actor, p.userId, p.credential, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.resendWelcomeEmail.pattern)
  resendWelcome(@Payload() p: UserIdPayload, @RpcActor() actor: Actor): Promise<WelcomeEmailSent> {
    return this.credentials.resendWelcome(actor, p.userId, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.unlockCredential.pattern)
  unlock(@Payload() p: CredentialIdPayload, @RpcActor() actor: Actor): Promise<CredentialView> {
    return this.credentials.unlock(actor, p.credentialId, p.sourceIp);
  }
}
