import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  CreateEdiSignaturePayload,
  EdiCodeSent,
  EdiSignatureIdPayload,
  EdiSignatureView,
  EdiVerification,
  IdentityAccessCommands,
  UserIdPayload,
  VerifyEdiSignaturePayload,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { EdiService } from './edi.service';

@Controller()
export class EdiHandlers {
  constructor(private readonly edi: EdiService) {}

  @MessagePattern(IdentityAccessCommands.requestEdiCode.pattern)
  requestCode(@Payload() p: UserIdPayload, @RpcActor() actor: Actor): Promise<EdiCodeSent> {
    return this.edi.requestCode(actor, p.userId, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.createEdiSignature.pattern)
  create(@Payload() p: CreateEdiSignaturePayload, @RpcActor() actor: Actor): Promise<EdiSignatureView> {
    return this.edi.createSignature(actor, p.userId, p, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.listEdiSignatures.pattern)
  list(@Payload() p: UserIdPayload, @RpcActor() actor: Actor): Promise<EdiSignatureView[]> {
    return this.edi.list(actor, p.userId);
  }

  @MessagePattern(IdentityAccessCommands.verifyEdiSignature.pattern)
  verify(@Payload() p: VerifyEdiSignaturePayload, @RpcActor() actor: Actor): Promise<EdiVerification> {
    return this.edi.verify(actor, p.signatureId, p.password, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.revokeEdiSignature.pattern)
  revoke(@Payload() p: EdiSignatureIdPayload, @RpcActor() actor: Actor): Promise<EdiSignatureView> {
    return this.edi.revoke(actor, p.signatureId, p.sourceIp);
  }
}
