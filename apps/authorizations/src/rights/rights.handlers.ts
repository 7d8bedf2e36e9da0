import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  AuthorizationsQueries,
  AuthorizationsSeams,
  CheckAnswer,
  CheckBatchAnswer,
  CheckBatchDto,
  CheckQuestionDto,
  CompiledRightsAnswer,
  CompiledRightsPayload,
  EffectiveRightsPayload,
  EffectiveRightsView,
  ServicesOfUserPayload,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { RightsService } from './rights.service';

@Controller()
export class RightsHandlers {
  constructor(private readonly rights: RightsService) {}

  @MessagePattern(AuthorizationsQueries.check.pattern)
  check(@Payload() q: CheckQuestionDto, @RpcActor() actor: Actor): Promise<CheckAnswer> {
    return this.rights.check(actor, q);
  }

  @MessagePattern(AuthorizationsQueries.checkBatch.pattern)
  async checkBatch(@Payload() p: CheckBatchDto, @RpcActor() actor: Actor): Promise<CheckBatchAnswer> {
    return { answers: await this.rights.checkBatch(actor, p.questions) };
  }

  @MessagePattern(AuthorizationsQueries.effectiveRights.pattern)
  effective(@Payload() p: EffectiveRightsPayload, @RpcActor() actor: Actor): Promise<EffectiveRightsView> {
    return this.rights.effectiveRights(actor, p.userId, p.at);
  }

  @MessagePattern(AuthorizationsSeams.compiledRights.pattern)
  compiledRights(@Payload() p: CompiledRightsPayload): Promise<CompiledRightsAnswer> {
    return this.rights.compiledRights(p.userIds);
  }

  @MessagePattern(AuthorizationsSeams.servicesOfUser.pattern)
  async servicesOfUser(@Payload() p: ServicesOfUserPayload): Promise<{ services: string[] }> {
    return { services: await this.rights.servicesOfUser(p.userId, p.companyId) };
  }
}
