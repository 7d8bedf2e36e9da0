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
import { ChangesService } from './changes.service';

@Controller()
export class ChangesHandlers {
  constructor(private readonly changes: ChangesService) {}

  @MessagePattern(ChangeCommands.validate('identity').pattern)
  validate(@Payload() payload: ValidateChangePayload, @RpcActor() actor: Actor): Promise<ChangeValidation> {
    return this.changes.validate(payload.kind, payload.companyId, payload.payload, actor);
  }

  @MessagePattern(ChangeCommands.apply('identity').pattern)
  apply(@Payload() payload: ApplyChangePayload): Promise<ChangeApplyResult> {
    return this.changes.apply(payload);
  }
}
