import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AuthorizationsCommands, CatalogServiceView } from '@procura/contracts';
import { CatalogService } from './catalog.service';

@Controller()
export class CatalogHandlers {
  constructor(private readonly catalog: CatalogService) {}

  @MessagePattern(AuthorizationsCommands.listServices.pattern)
  list(): Promise<CatalogServiceView[]> {
    return this.catalog.list();
  }
}
