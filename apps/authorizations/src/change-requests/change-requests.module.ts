import { Module } from '@nestjs/common';
import { CompanyAccess } from '../access/company-access';
import { AuditHandlers } from '../audit/audit.handlers';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { AuditWorker } from '../audit/audit.worker';
import { AuthorizationsOutboxRelay } from '../outbox/authorizations-outbox.relay';
import { ChangeApplier } from './change-applier';
import { ChangeJobsWorker } from './change-jobs.worker';
import { ChangeNotifier } from './change-notifier';
import { ChangePolicyService } from './change-policy.service';
import { ChangeRequestRepository } from './change-request.repository';
import { ChangeRequestService } from './change-request.service';
import { ChangeRequestsHandlers } from './change-requests.handlers';

/** Dual validation (change requests, policies, application) and the audit trail. */
@Module({
  controllers: [ChangeRequestsHandlers, AuditHandlers],
  providers: [
    AuthorizationsOutboxRelay,
    CompanyAccess,
    AuditRepository,
    AuditService,
    AuditWorker,
    ChangeRequestRepository,
    ChangePolicyService,
    ChangeNotifier,
    ChangeApplier,
    ChangeRequestService,
    ChangeJobsWorker,
  ],
  exports: [ChangeRequestService, AuditService, AuthorizationsOutboxRelay, CompanyAccess],
})
export class ChangeRequestsModule {}
