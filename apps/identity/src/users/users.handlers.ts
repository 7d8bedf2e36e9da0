import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  CredentialIdPayload,
  CredentialIssuedWithSecret,
  CredentialView,
  IdentityAccessCommands,
  IdentitySeams,
  ListUsersPayload,
  OperatorCreateCredentialPayload,
  Page,
  RegisterPersonPayload,
  ReportUser,
  ReportUsersPagePayload,
  UserContact,
  UserContactsPayload,
  UserIdPayload,
  UserView,
  ValidatorEligibility,
  ValidatorEligibilityPayload,
  WelcomeEmailSent,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { CredentialsService } from '../credentials/credentials.service';
import { UsersService } from './users.service';

@Controller()
export class UsersHandlers {
  constructor(
    private readonly users: UsersService,
    private readonly credentials: CredentialsService,
  ) {}

  @MessagePattern(IdentityAccessCommands.registerPerson.pattern)
  register(@Payload() p: RegisterPersonPayload, @RpcActor() actor: Actor): Promise<UserView> {
    return this.users.registerPerson(actor, p.companyId, p.user, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.listUsers.pattern)
  list(@Payload() p: ListUsersPayload, @RpcActor() actor: Actor): Promise<Page<UserView>> {
    return this.users.list(actor, p.companyId, p);
  }

  @MessagePattern(IdentityAccessCommands.getUser.pattern)
  get(@Payload() p: UserIdPayload, @RpcActor() actor: Actor): Promise<UserView> {
    return this.users.get(actor, p.userId);
  }

  @MessagePattern(IdentityAccessCommands.listCredentials.pattern)
  listCredentials(@Payload() p: UserIdPayload, @RpcActor() actor: Actor): Promise<CredentialView[]> {
    return this.credentials.list(actor, p.userId);
  }

  @MessagePattern(IdentityAccessCommands.operatorCreateCredential.pattern)
  operatorCreate(@Payload() p: OperatorCreateCredentialPayload, @RpcActor() actor: Actor): Promise<CredentialIssuedWithSecret> {
    return this.credentials.operatorCreate(actor, p.userId, p.credential, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.resendWelcomeEmail.pattern)
  resendWelcome(@Payload() p: UserIdPayload, @RpcActor() actor: Actor): Promise<WelcomeEmailSent> {
    return this.credentials.resendWelcome(actor, p.userId, p.sourceIp);
  }

  @MessagePattern(IdentityAccessCommands.unlockCredential.pattern)
  unlock(@Payload() p: CredentialIdPayload, @RpcActor() actor: Actor): Promise<CredentialView> {
    return this.credentials.unlock(actor, p.credentialId, p.sourceIp);
  }

  // ── seams used by other services ──

  @MessagePattern(IdentitySeams.validatorEligibility.pattern)
  validatorEligibility(@Payload() p: ValidatorEligibilityPayload): Promise<ValidatorEligibility> {
    return this.users.validatorEligibility(p.userId, p.companyId);
  }

  @MessagePattern(IdentitySeams.userContacts.pattern)
  contacts(@Payload() p: UserContactsPayload): Promise<UserContact[]> {
    return this.users.contacts(p.companyId, p.userIds, p.administratorsOnly === true);
  }

  @MessagePattern(IdentitySeams.reportUsersPage.pattern)
  reportPage(@Payload() p: ReportUsersPagePayload): Promise<{ users: ReportUser[]; nextAfterUserId?: string }> {
    return this.users.reportPage(p.companyId, p.afterUserId, p.limit);
  }
}
