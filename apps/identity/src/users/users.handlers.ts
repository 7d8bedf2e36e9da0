import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  IdentityAccessCommands,
  IdentitySeams,
  ListUsersPayload,
  Page,
  ReportUser,
  ReportUsersPagePayload,
  UserContact,
  UserContactsPayload,
  UserIdPayload,
  UserView,
  ValidatorEligibility,
  ValidatorEligibilityPayload,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { UsersService } from './users.service';

@Controller()
export class UsersHandlers {
  constructor(private readonly users: UsersService) {}

  @MessagePattern(IdentityAccessCommands.listUsers.pattern)
  list(@Payload() p: ListUsersPayload, @RpcActor() actor: Actor): Promise<Page<UserView>> {
    return this.users.list(actor, p.companyId, p);
  }

  @MessagePattern(IdentityAccessCommands.getUser.pattern)
  get(@Payload() p: UserIdPayload, @RpcActor() actor: Actor): Promise<UserView> {
    return this.users.get(actor, p.userId);
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
