import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  ApplyChangePayload,
  ChangeApplyResult,
  ChangeCommands,
  ChangeValidation,
  ValidateChangePayload,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { AuthorizationsChangeKinds } from './authorizations-change-kinds';

/** validate/apply of the authorizations change kinds, for the gateway's ChangeSubmitter. */
@Controller()
export class ChangesHandlers {
  constructor(private readonly kinds: AuthorizationsChangeKinds) {}

  @MessagePattern(ChangeCommands.validate('authorizations').pattern)
  validate(@Payload() p: ValidateChangePayload, @RpcActor() actor: Actor): Promise<ChangeValidation> {
    return this.kinds.validate(p.kind, p.companyId, p.payload, actor);
  }

  @MessagePattern(ChangeCommands.apply('authorizations').pattern)
  apply(@Payload() p: ApplyChangePayload, @RpcActor() _actor: Actor): Promise<ChangeApplyResult> {
    return this.kinds.apply(p);
  }
}
