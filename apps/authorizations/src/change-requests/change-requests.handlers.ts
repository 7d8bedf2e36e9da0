import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  ApproveChangePayload,
  AuthorizationsSeams,
  ChangePreview,
  ChangeRequestCommands,
  ChangeRequestIdPayload,
  ChangeRequestView,
  ChangeSubmissionResult,
  ListChangeRequestsPayload,
  Page,
  PreviewChangesPayload,
  RejectChangePayload,
  ReportRightsPayload,
  ReportUserRights,
  type RpcMeta,
  SubmitChangesPayload,
} from '@procura/contracts';
import { RpcActor, RpcMetaParam } from '@procura/messaging';
import { RightsService } from '../rights/rights.service';
import { ChangeRequestService } from './change-request.service';
import { PendingChangeRequests } from './pending-change-requests';

@Controller()
export class ChangeRequestsHandlers {
  constructor(
    private readonly changes: ChangeRequestService,
    private readonly pending: PendingChangeRequests,
    private readonly rights: RightsService,
  ) {}

  @MessagePattern(ChangeRequestCommands.submit.pattern)
  submit(
    @Payload() payload: SubmitChangesPayload,
    @RpcActor() actor: Actor,
    @RpcMetaParam() meta: RpcMeta,
  ): Promise<ChangeSubmissionResult> {
    return this.changes.submit(actor, payload.items, {
      idempotencyKey: meta.idempotencyKey,
      sourceIp: payload.sourceIp,
      batch: payload.batch,
      companyId: payload.companyId,
    });
  }

  @MessagePattern(ChangeRequestCommands.preview.pattern)
  preview(@Payload() payload: PreviewChangesPayload, @RpcActor() actor: Actor): Promise<ChangePreview> {
    return this.changes.preview(actor, payload.companyId, payload.items);
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

  /** The access-rights report's seam: rights with the pending change requests about each user. */
  @MessagePattern(AuthorizationsSeams.reportRights.pattern)
  async reportRights(@Payload() p: ReportRightsPayload): Promise<Record<string, ReportUserRights>> {
    return this.rights.reportRights(p.companyId, p.userIds, p.at, await this.pending.pendingChangeRequestsOf(p.companyId, p.userIds));
  }
}
