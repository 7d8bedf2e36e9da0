import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  ApplyChangePayload,
  ChangeApplyResult,
  ChangeCommands,
  ChangeValidation,
  DeliveryView,
  ListDeliveriesPayload,
  Page,
  ReportingCommands,
  ValidateChangePayload,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { DeliveriesService } from './deliveries.service';
import { DeliveryChangesService } from './delivery-changes.service';

@Controller()
export class DeliveriesHandlers {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly changes: DeliveryChangesService,
  ) {}

  @MessagePattern(ReportingCommands.listDeliveries.pattern)
  list(@Payload() payload: ListDeliveriesPayload, @RpcActor() actor: Actor): Promise<Page<DeliveryView>> {
    return this.deliveries.list(actor, payload.companyId, payload);
  }

  /** Called by the change-request workflow for the change kinds reporting owns (DELIVERY_UPDATE). */
  @MessagePattern(ChangeCommands.validate('reporting').pattern)
  validate(@Payload() payload: ValidateChangePayload): Promise<ChangeValidation> {
    return this.changes.validate(payload);
  }

  @MessagePattern(ChangeCommands.apply('reporting').pattern)
  apply(@Payload() payload: ApplyChangePayload): Promise<ChangeApplyResult> {
    return this.changes.apply(payload);
  }
}
