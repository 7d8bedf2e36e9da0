import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type Actor, ChangePolicyView, ChangeRequestCommands, CompanyIdPayload } from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { CompanyAccessService } from '../company-access/company-access.service';
import { ChangePolicyService } from './change-policy.service';

@Controller()
export class ChangePolicyHandlers {
  constructor(
    private readonly policy: ChangePolicyService,
    private readonly access: CompanyAccessService,
  ) {}

  @MessagePattern(ChangeRequestCommands.policy.pattern)
  async getPolicy(@Payload() payload: CompanyIdPayload, @RpcActor() actor: Actor): Promise<ChangePolicyView> {
    await this.access.assert(actor, payload.companyId, 'administrator', 'Company');
    return this.policy.view(payload.companyId);
  }
}
