import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  AuditEntryView,
  AuditListPayload,
  AuditVerification,
  ChangeRequestCommands,
  CompanyIdPayload,
  Page,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { AuditService } from './audit.service';

@Controller()
export class AuditHandlers {
  constructor(private readonly audit: AuditService) {}

  @MessagePattern(ChangeRequestCommands.auditList.pattern)
  list(@Payload() payload: AuditListPayload, @RpcActor() actor: Actor): Promise<Page<AuditEntryView>> {
    return this.audit.list(actor, payload.companyId, payload);
  }

  @MessagePattern(ChangeRequestCommands.auditVerify.pattern)
  verify(@Payload() payload: CompanyIdPayload, @RpcActor() actor: Actor): Promise<AuditVerification> {
    return this.audit.verify(actor, payload.companyId);
  }
}
