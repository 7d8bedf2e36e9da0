import { Module } from '@nestjs/common';
import { AuthorizationRulesService } from '../authorizations/authorization-rules.service';
import { AuthorizationsHandlers } from '../authorizations/authorizations.handlers';
import { AuthorizationsRepository } from '../authorizations/authorizations.repository';
import { AuthorizationsService } from '../authorizations/authorizations.service';
import { CatalogRepository } from '../catalog/catalog.repository';
import { CatalogService } from '../catalog/catalog.service';
import { ChangeRequestRepository } from '../change-requests/change-request.repository';
import { CompanyAccessService } from '../company-access/company-access.service';
import { PrincipalsRepository } from '../principals/principals.repository';
import { PrincipalsWorker } from '../principals/principals.worker';
import { ResourcesHandlers } from '../resources/resources.handlers';
import { ResourcesRepository } from '../resources/resources.repository';
import { ResourcesService } from '../resources/resources.service';
import { PendingChangeRequests } from '../rights/pending-change-requests';
import { RightsCompiler } from '../rights/rights-compiler';
import { RightsGenerations } from '../rights/rights-generations';
import { RightsHandlers } from '../rights/rights.handlers';
import { RightsService } from '../rights/rights.service';
import { AppliedChangesRepository } from './applied-changes.repository';
import {
  AuthorizationAssignKind,
  AuthorizationCreateKind,
  AuthorizationDeleteKind,
  AuthorizationUpdateKind,
} from './authorization-changes';
import { AuthorizationsChangeKinds } from './authorizations-change-kinds';
import { ChangesHandlers } from './changes.handlers';
import { RightsAuthorizeAllKind, RightsCopyKind, RightsPlanner, RightsTemplateKind } from './rights-plan-changes';

/**
 * Resources, authorizations, the principal projection, effective rights and the check,
 * and the authorizations change kinds (exported for the dual-validation workflow).
 */
@Module({
  controllers: [ResourcesHandlers, AuthorizationsHandlers, RightsHandlers, ChangesHandlers],
  providers: [
    CatalogRepository,
    CatalogService,
    CompanyAccessService,
    ResourcesRepository,
    ResourcesService,
    AuthorizationsRepository,
    AuthorizationsService,
    AuthorizationRulesService,
    PrincipalsRepository,
    PrincipalsWorker,
    RightsGenerations,
    RightsCompiler,
    RightsService,
    ChangeRequestRepository,
    PendingChangeRequests,
    AppliedChangesRepository,
    AuthorizationCreateKind,
    AuthorizationUpdateKind,
    AuthorizationDeleteKind,
    AuthorizationAssignKind,
    RightsPlanner,
    RightsTemplateKind,
    RightsCopyKind,
    RightsAuthorizeAllKind,
    AuthorizationsChangeKinds,
  ],
  exports: [AuthorizationsChangeKinds, RightsService, CatalogService, CompanyAccessService, ChangeRequestRepository],
})
export class RightsCoreModule {}
