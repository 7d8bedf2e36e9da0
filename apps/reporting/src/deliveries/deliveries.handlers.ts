import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type Actor, DeliveryView, ListDeliveriesPayload, Page, ReportingCommands } from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { DeliveriesService } from './deliveries.service';

@Controller()
export class DeliveriesHandlers {
  constructor(private readonly deliveries: DeliveriesService) {}

  @MessagePattern(ReportingCommands.listDeliveries.pattern)
  list(@Payload() payload: ListDeliveriesPayload, @RpcActor() actor: Actor): Promise<Page<DeliveryView>> {
    return this.deliveries.list(actor, payload.companyId, payload);
  }
}
