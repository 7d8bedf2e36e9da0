import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  CredentialIdPayload,
  CredentialView,
  IdentityAccessCommands,
  UserIdPayload,
  WelcomeEmailSent,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { CredentialsService } from './credentials.service';

/** Credentials outside change requests: listing, welcome e-mail, unlock. */
@Controller()
export class CredentialsHandlers {
  constructor(private readonly credentials: CredentialsService) {}

  @MessagePattern(IdentityAccessCommands.listCredentials.pattern)
  listCredentials(@Payload() p: UserIdPayload, @RpcActor() actor: Actor): Promise<CredentialView[]> {
    return this.credentials.list(actor, p.userId);
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
