import { Module } from '@nestjs/common';
import { AuditHandlers } from '../audit/audit.handlers';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { AuditWorker } from '../audit/audit.worker';
import { RightsCoreModule } from '../changes/rights-core.module';
import { AuthorizationsOutboxRelay } from '../outbox/authorizations-outbox.relay';
import { ChangeApplier } from './change-applier';
import { ChangeJobsWorker } from './change-jobs.worker';
import { ChangeNotifier } from './change-notifier';
import { ChangePolicyService } from './change-policy.service';
import { ChangeRequestService } from './change-request.service';
import { ChangeRequestsHandlers } from './change-requests.handlers';

/** Dual validation (change requests, policies, application) and the audit trail. */
@Module({
  imports: [RightsCoreModule],
  controllers: [ChangeRequestsHandlers, AuditHandlers],
  providers: [
    AuthorizationsOutboxRelay,
    AuditRepository,
    AuditService,
    AuditWorker,
    ChangePolicyService,
    ChangeNotifier,
    ChangeApplier,
    ChangeRequestService,
    ChangeJobsWorker,
  ],
  exports: [ChangeRequestService, AuditService, AuthorizationsOutboxRelay],
})
export class ChangeRequestsModule {}
