import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  ChangePasswordPayload,
  CompanyMembershipView,
  ConfirmTotpPayload,
  IdentityAccessCommands,
  IdentitySeams,
  LoginPayload,
  RefreshPayload,
  SessionPayload,
  SessionTokens,
  StepUpTokens,
  StepUpVerified,
  SwitchCompanyPayload,
  TotpEnrolment,
  ValidatorEligibility,
  VerifyApproverPayload,
  VerifyStepUpPayload,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { CompanySwitchService } from './company-switch.service';
import { OperatorAuthService } from './operator-auth.service';

@Controller()
export class AuthHandlers {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly operatorAuth: OperatorAuthService,
    private readonly companySwitch: CompanySwitchService,
  ) {}

  @MessagePattern(IdentityAccessCommands.login.pattern)
  login(@Payload() p: LoginPayload): Promise<SessionTokens> {
    return this.auth.loginWith(p);
  }

  @MessagePattern(IdentityAccessCommands.refresh.pattern)
  refresh(@Payload() p: RefreshPayload): Promise<SessionTokens> {
    return this.auth.refresh(p.refreshToken, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.logout.pattern)
  logout(@Payload() p: SessionPayload, @RpcActor() actor: Actor): Promise<{ loggedOut: true }> {
    return actor.kind === 'operator' ? this.operatorAuth.logout(actor, p.sourceIp) : this.auth.logout(actor, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.changePassword.pattern)
  changePassword(@Payload() p: ChangePasswordPayload, @RpcActor() actor: Actor): Promise<SessionTokens> {
    return actor.kind === 'operator'
      ? this.operatorAuth.changePassword(actor, p, p.sourceIp)
      : this.auth.changePassword(actor, p, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.enrolTotp.pattern)
  enrolTotp(@Payload() p: SessionPayload, @RpcActor() actor: Actor): Promise<TotpEnrolment> {
    return actor.kind === 'operator' ? this.operatorAuth.enrolTotp(actor, p.sourceIp) : this.auth.enrolTotp(actor, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.confirmTotp.pattern)
  confirmTotp(@Payload() p: ConfirmTotpPayload, @RpcActor() actor: Actor): Promise<SessionTokens> {
    return actor.kind === 'operator'
      ? this.operatorAuth.confirmTotp(actor, p.code, p.sourceIp)
      : this.auth.confirmTotp(actor, p.code, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.verifyTotp.pattern)
  verifyTotp(@Payload() p: ConfirmTotpPayload, @RpcActor() actor: Actor): Promise<SessionTokens> {
    return actor.kind === 'operator'
      ? this.operatorAuth.verifyTotp(actor, p.code, p.sourceIp)
      : this.auth.verifyTotp(actor, p.code, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.stepUp.pattern)
  stepUp(@Payload() p: ConfirmTotpPayload, @RpcActor() actor: Actor): Promise<StepUpTokens> {
    return this.auth.stepUp(actor, p.code);
  }

  @MessagePattern(IdentityAccessCommands.listCompanies.pattern)
  listCompanies(@RpcActor() actor: Actor): Promise<CompanyMembershipView[]> {
    return this.companySwitch.companies(actor);
  }

  @MessagePattern(IdentityAccessCommands.switchCompany.pattern)
  switchCompany(@Payload() p: SwitchCompanyPayload, @RpcActor() actor: Actor): Promise<SessionTokens> {
    return this.companySwitch.switchCompany(actor, p.companyId, p.totpCode, p.sourceIp);
  }

  @MessagePattern(IdentitySeams.verifyStepUp.pattern)
  verifyStepUp(@Payload() p: VerifyStepUpPayload): Promise<StepUpVerified> {
    return this.auth.verifyStepUp(p.userId, p.code, p.purpose);
  }

  @MessagePattern(IdentitySeams.verifyApprover.pattern)
  async verifyApprover(@Payload() p: VerifyApproverPayload): Promise<ValidatorEligibility> {
    const [eligibility] = await Promise.all([
      this.users.validatorEligibility(p.userId, p.companyId),
      this.auth.verifyStepUp(p.userId, p.code, p.purpose, { auditSuccess: false }),
    ]);
    return eligibility;
  }
}
