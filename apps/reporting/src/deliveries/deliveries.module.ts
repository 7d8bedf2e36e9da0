import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { SharedModule } from '../shared/shared.module';
import { DeliveriesHandlers } from './deliveries.handlers';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveriesService } from './deliveries.service';
import { DeliveryUpdateHandler } from './delivery-update.handler';
import { DemoDeliveriesSeed } from './demo-deliveries.seed';

/** Deliveries (seed 002): listed here, changed through DELIVERY_UPDATE change requests. */
@Module({
  imports: [SharedModule, AccessModule],
  controllers: [DeliveriesHandlers],
  providers: [DeliveriesRepository, DeliveriesService, DeliveryUpdateHandler, DemoDeliveriesSeed],
  exports: [DeliveriesRepository],
})
export class DeliveriesModule {}
