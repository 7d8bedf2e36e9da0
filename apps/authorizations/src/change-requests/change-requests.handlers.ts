import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  ApproveChangePayload,
  ChangePolicyView,
  ChangeRequestCommands,
  ChangeRequestIdPayload,
  ChangeRequestView,
  ChangeSubmissionResult,
  CompanyIdPayload,
  ListChangeRequestsPayload,
  Page,
  RejectChangePayload,
  type RpcMeta,
  SubmitChangesPayload,
} from '@procura/contracts';
import { RpcActor, RpcMetaParam } from '@procura/messaging';
import { CompanyAccessService } from '../company-access/company-access.service';
import { ChangePolicyService } from './change-policy.service';
import { ChangeRequestService } from './change-request.service';

@Controller()
export class ChangeRequestsHandlers {
  constructor(
    private readonly changes: ChangeRequestService,
    private readonly policy: ChangePolicyService,
    private readonly access: CompanyAccessService,
  ) {}

  @MessagePattern(ChangeRequestCommands.submit.pattern)
  submit(
    @Payload() payload: SubmitChangesPayload,
    @RpcActor() actor: Actor,
    @RpcMetaParam() meta: RpcMeta,
  ): Promise<ChangeSubmissionResult> {
    return this.changes.submit(actor, payload.items, { idempotencyKey: meta.idempotencyKey, sourceIp: payload.sourceIp });
  }

  @MessagePattern(ChangeRequestCommands.list.pattern)
  list(@Payload() payload: ListChangeRequestsPayload, @RpcActor() actor: Actor): Promise<Page<ChangeRequestView>> {
    return this.changes.list(actor, payload.companyId, payload);
  }

  @MessagePattern(ChangeRequestCommands.get.pattern)
  get(@Payload() payload: ChangeRequestIdPayload, @RpcActor() actor: Actor): Promise<ChangeRequestView> {
    return this.changes.get(actor, payload.changeRequestId);
  }

  @MessagePattern(ChangeRequestCommands.approve.pattern)
  approve(@Payload() payload: ApproveChangePayload, @RpcActor() actor: Actor): Promise<ChangeRequestView> {
    return this.changes.approve(actor, payload.changeRequestId, payload.totpCode);
  }

  @MessagePattern(ChangeRequestCommands.reject.pattern)
  reject(@Payload() payload: RejectChangePayload, @RpcActor() actor: Actor): Promise<ChangeRequestView> {
    return this.changes.reject(actor, payload.changeRequestId, payload.reason);
  }

  @MessagePattern(ChangeRequestCommands.cancel.pattern)
  cancel(@Payload() payload: ChangeRequestIdPayload, @RpcActor() actor: Actor): Promise<ChangeRequestView> {
    return this.changes.cancel(actor, payload.changeRequestId);
  }

  @MessagePattern(ChangeRequestCommands.policy.pattern)
  async getPolicy(@Payload() payload: CompanyIdPayload, @RpcActor() actor: Actor): Promise<ChangePolicyView> {
    await this.access.assert(actor, payload.companyId, 'administrator', 'Company');
    return this.policy.view(payload.companyId);
  }
}
