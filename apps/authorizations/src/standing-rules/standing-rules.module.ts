import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthorizationsCoreModule } from '../authorizations/authorizations-core.module';
import { PrincipalsModule } from '../principals/principals.module';
import { RightsModule } from '../rights/rights.module';
import { StandingRulesService } from './standing-rules.service';

/** Authorize-all's standing rules, applied to the contracts opened after it. */
@Module({
  imports: [AuditModule, AuthorizationsCoreModule, PrincipalsModule, RightsModule],
  providers: [StandingRulesService],
  exports: [StandingRulesService],
})
export class StandingRulesModule {}
