import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, AuthorizationsCommands, CatalogServiceView } from '@procura/contracts';
import { CommandBus } from '@procura/messaging';
import { CurrentActor } from '../auth/auth.guard';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('services')
export class CatalogController {
  constructor(private readonly bus: CommandBus) {}

  @Get()
  @ApiOperation({ summary: 'The service catalog: services, rights and levels' })
  @ApiOkResponse({ type: [CatalogServiceView] })
  list(@CurrentActor() actor: Actor): Promise<CatalogServiceView[]> {
    return this.bus.execute(AuthorizationsCommands.listServices, {}, { actor });
  }
}
