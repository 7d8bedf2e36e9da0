import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PRICING_OFFERS, PricingOfferView } from '@procura/contracts';

/** The catalog is a contract declared once (libs/contracts): served as is, no service to ask. */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('pricing-offers')
export class PricingOffersController {
  @Get()
  @ApiOperation({
    summary:
      'The pricing offers a company may have, with the services each lets its users be granted (seed 001: the "niveau d\'abonnement")',
  })
  @ApiOkResponse({ type: [PricingOfferView] })
  list(): readonly PricingOfferView[] {
    return PRICING_OFFERS;
  }
}
