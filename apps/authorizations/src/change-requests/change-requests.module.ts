import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChangePolicyModule } from '../change-policy/change-policy.module';
import { CompanyAccessModule } from '../company-access/company-access.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PrincipalsModule } from '../principals/principals.module';
import { RightsModule } from '../rights/rights.module';
import { ChangeApplier } from './change-applier';
import { ChangeItemsValidator } from './change-items.validator';
import { ChangeJobsWorker } from './change-jobs.worker';
import { ChangeNotifier } from './change-notifier';
import { ChangeRecoverySweeper } from './change-recovery.sweeper';
import { ChangeRequestRepository } from './change-request.repository';
import { ChangeRequestService } from './change-request.service';
import { ChangeRequestsHandlers } from './change-requests.handlers';
import { ImpossibleRequestsWatch } from './impossible-requests.watch';
import { PendingChangeRequests } from './pending-change-requests';

/** Dual validation: change requests from submission to application (owners reached through ChangeDispatcher). */
@Module({
  imports: [AuditModule, ChangePolicyModule, CompanyAccessModule, OutboxModule, PrincipalsModule, RightsModule],
  controllers: [ChangeRequestsHandlers],
  providers: [
    ChangeRequestRepository,
    ChangeItemsValidator,
    ChangeNotifier,
    ChangeApplier,
    ChangeRequestService,
    ChangeJobsWorker,
    ChangeRecoverySweeper,
    PendingChangeRequests,
    ImpossibleRequestsWatch,
  ],
})
export class ChangeRequestsModule {}
