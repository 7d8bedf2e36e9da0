import { Module } from '@nestjs/common';
import { CompanyAccessModule } from '../company-access/company-access.module';
import { StandingRulesModule } from '../standing-rules/standing-rules.module';
import { ResourcesHandlers } from './resources.handlers';
import { ResourcesModule } from './resources.module';
import { ResourcesService } from './resources.service';

/**
 * The operator's management of accounts and contracts. Apart from ResourcesModule because a
 * new contract extends authorize-all's standing rules, which need the rights modules that
 * themselves read resources.
 */
@Module({
  imports: [CompanyAccessModule, ResourcesModule, StandingRulesModule],
  controllers: [ResourcesHandlers],
  providers: [ResourcesService],
})
export class ResourcesAdminModule {}
