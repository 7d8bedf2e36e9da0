import { Module } from '@nestjs/common';
import { AuthorizationsCoreModule } from '../authorizations/authorizations-core.module';
import { PrincipalsModule } from '../principals/principals.module';
import { ResourcesModule } from '../resources/resources.module';
import { RightsModule } from '../rights/rights.module';
import {
  AuthorizationAssignKind,
  AuthorizationCreateKind,
  AuthorizationDeleteKind,
  AuthorizationUpdateKind,
} from './authorization-changes';
import { RightsChangeEffects, RightsInvalidation } from './rights-change-effects';
import { RightsAuthorizeAllKind, RightsCopyKind, RightsPlanner, RightsTemplateKind } from './rights-plan-changes';

/** The change kinds of authorizations and rights, one handler each (found by @procura/changes at boot). */
@Module({
  imports: [AuthorizationsCoreModule, PrincipalsModule, ResourcesModule, RightsModule],
  providers: [
    RightsChangeEffects,
    RightsInvalidation,
    AuthorizationCreateKind,
    AuthorizationUpdateKind,
    AuthorizationDeleteKind,
    AuthorizationAssignKind,
    RightsPlanner,
    RightsTemplateKind,
    RightsCopyKind,
    RightsAuthorizeAllKind,
  ],
  exports: [RightsInvalidation],
})
export class AuthorizationChangesModule {}
