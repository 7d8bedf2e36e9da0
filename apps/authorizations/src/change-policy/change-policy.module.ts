import { Module } from '@nestjs/common';
import { CompanyAccessModule } from '../company-access/company-access.module';
import { ChangePolicyHandlers } from './change-policy.handlers';
import { ChangePolicyRepository } from './change-policy.repository';
import { ChangePolicyService } from './change-policy.service';
import { PolicyUpdateHandler } from './policy-update.handler';

/** Each company's dual-control policy and its change kind, POLICY_UPDATE. */
@Module({
  imports: [CompanyAccessModule],
  controllers: [ChangePolicyHandlers],
  providers: [ChangePolicyRepository, ChangePolicyService, PolicyUpdateHandler],
  exports: [ChangePolicyService],
})
export class ChangePolicyModule {}
