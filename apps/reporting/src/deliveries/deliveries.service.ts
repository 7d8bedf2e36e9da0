import { Injectable } from '@nestjs/common';
import { Actor, DeliveryView, Page, PageQueryDto, pageWindow } from '@procura/contracts';
import { ReportAccessPolicy } from '../access/report-access.policy';
import { toDeliveryView } from './delivery-views';
import { DeliveriesRepository } from './deliveries.repository';

@Injectable()
export class DeliveriesService {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly access: ReportAccessPolicy,
  ) {}

  async list(actor: Actor, companyId: string, query: PageQueryDto): Promise<Page<DeliveryView>> {
    await this.access.assertAllowed(actor, companyId, 'Company');
    const { page, pageSize, skip } = pageWindow(query);
    const [items, total] = await this.deliveries.page(companyId, skip, pageSize);
    return { items: items.map(toDeliveryView), page, pageSize, total };
  }
}
