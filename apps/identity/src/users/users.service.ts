import { Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@procura/database';
import {
  Actor,
  ActivationMode,
  AdminSignature,
  ClientType,
  CreateUserDto,
  ListUsersQueryDto,
  Page,
  pageWindow,
  ReportUser,
  UserContact,
  UserStatus,
  UserView,
  ValidatorEligibility,
} from '@procura/contracts';
import { ForbiddenError, RuleViolationError } from '@procura/errors';
import { randomUUID } from 'node:crypto';
import { UserChangeRules } from './user-change-rules';
import { maskLoginId } from '../credentials/login-id';
import { IdentityEvents, IdentityOutboxRelay } from '../events/identity-events';
import { Clock } from '../shared/clock';
import { credentialStatus, toUserView, userSnapshot } from './user-views';
import { AccessService } from './access.service';
import { UsersRepository, UserWithCredentials } from './users.repository';
import { validatorEligibilityOf } from './validator-eligibility';

/** Why an administrator could not approve a change now (nothing when they could). */
function approvalBlockerOf(user: UserWithCredentials, now: Date): { approvalBlocker?: string } {
  if (user.clientType !== 'ADMINISTRATOR') return {};
  const eligibility = validatorEligibilityOf(user, now);
  return eligibility.eligible ? {} : { approvalBlocker: eligibility.reason };
}

const REPORT_PAGE_DEFAULT = 100;
const REPORT_PAGE_MAX = 500;

/** Operators' direct actions on persons, reads, and the user facts other services ask for. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly users: UsersRepository,
    private readonly access: AccessService,
    private readonly rules: UserChangeRules,
    private readonly events: IdentityEvents,
    private readonly relay: IdentityOutboxRelay,
    private readonly clock: Clock,
  ) {}

  /**
   * Seed 001: the bank advisor registers a person before an administrator can give them
   * access. The first administrator an operator creates is active at once: somebody has to
   * be able to administer the company. An administrator the operator registers with
   * immediate activation is active at once too: the adviser's registration is the bank's
   * validation (decision D6), so a company whose first administrator signs collectively can
   * get the second one its dual control needs.
   */
  async registerPerson(actor: Actor, companyId: string, input: CreateUserDto, sourceIp?: string): Promise<UserView> {
    if (actor.kind !== 'operator') throw new ForbiddenError('Only operators register persons directly; administrators submit changes');
    await this.access.company(actor, companyId);
    const email = await this.rules.checkEmail(input.email, 'email');
    this.rules.checkBirthDate(input.birthDate);
    if (input.clientType !== ClientType.ADMINISTRATOR && (input.adminSignature ?? AdminSignature.NONE) !== AdminSignature.NONE) {
      throw new RuleViolationError('ADMIN_SIGNATURE_REQUIRES_ADMINISTRATOR', 'Only an administrator can have an admin signature', [
        { field: 'adminSignature', messages: ['adminSignature must be NONE for a STANDARD user'] },
      ]);
    }
    const user = await this.transactions.run(async (tx) => {
      await this.users.lockCompany(tx, companyId);
      const { personId } = await this.rules.newPerson(tx, email);
      const firstAdministrator =
        input.clientType === ClientType.ADMINISTRATOR && (await this.users.countActiveAdministrators(companyId, undefined, tx)) === 0;
      const validatedByTheBank =
        firstAdministrator || (input.clientType === ClientType.ADMINISTRATOR && input.activationMode === ActivationMode.IMMEDIATE);
      const created = await this.users.create(tx, {
        id: randomUUID(),
        companyId,
        personId,
        lastName: input.lastName.trim(),
        firstName: input.firstName.trim(),
        birthDate: new Date(`${input.birthDate}T00:00:00Z`),
        email,
        phone: input.phone ?? null,
        clientType: input.clientType,
        adminSignature:
          input.adminSignature ?? (input.clientType === ClientType.ADMINISTRATOR ? AdminSignature.INDIVIDUAL : AdminSignature.NONE),
        activationMode: firstAdministrator ? ActivationMode.IMMEDIATE : (input.activationMode ?? ActivationMode.DEFERRED),
        status: validatedByTheBank ? UserStatus.ACTIVE : UserStatus.REGISTERED,
        language: input.language ?? 'fr',
      });
      await this.events.principal(tx, created.id);
      await this.events.audit(tx, {
        companyId,
        actor,
        action: 'user.registered',
        targetType: 'user',
        targetId: created.id,
        sourceIp,
        after: userSnapshot(created),
      });
      return created;
    });
    this.relay.nudge();
    this.logger.log({ msg: 'person registered', userId: user.id, companyId });
    return toUserView(user);
  }

  async list(actor: Actor, companyId: string, query: ListUsersQueryDto): Promise<Page<UserView>> {
    await this.access.administeredCompany(actor, companyId);
    const { page, pageSize, skip } = pageWindow(query);
    const [items, total] = await this.users.page(
      companyId,
      { status: query.status, clientType: query.clientType, text: query.q },
      skip,
      pageSize,
    );
    return { items: items.map(toUserView), page, pageSize, total };
  }

  async get(actor: Actor, userId: string): Promise<UserView> {
    return toUserView(await this.access.user(actor, userId));
  }

  async validatorEligibility(userId: string, companyId: string): Promise<ValidatorEligibility> {
    const user = await this.users.withCredentials(userId);
    if (!user || user.companyId !== companyId) return { eligible: false, reason: 'Not a user of this company' };
    return validatorEligibilityOf(user, this.clock.now());
  }

  async contacts(companyId: string, userIds: string[] | undefined, administratorsOnly: boolean): Promise<UserContact[]> {
    const users = await this.users.contacts(companyId, userIds, administratorsOnly);
    const now = this.clock.now();
    return users.map((u) => ({
      userId: u.id,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      language: u.language === 'en' ? 'en' : 'fr',
      clientType: u.clientType,
      adminSignature: u.adminSignature,
      status: u.status,
      ...approvalBlockerOf(u, now),
    }));
  }

  async reportPage(
    companyId: string,
    afterUserId: string | undefined,
    limit: number | undefined,
  ): Promise<{ users: ReportUser[]; nextAfterUserId?: string }> {
    const take = Math.min(Math.max(Math.trunc(Number(limit ?? REPORT_PAGE_DEFAULT)) || REPORT_PAGE_DEFAULT, 1), REPORT_PAGE_MAX);
    const rows = await this.users.keysetPage(companyId, afterUserId, take + 1);
    const page = rows.slice(0, take);
    const now = this.clock.now();
    const signatures = await this.users.ediSignaturesOf(page.map((u) => u.id));
    return {
      users: page.map((u) => ({
        userId: u.id,
        lastName: u.lastName,
        firstName: u.firstName,
        email: u.email,
        clientType: u.clientType,
        adminSignature: u.adminSignature,
        status: u.status,
        credentials: u.credentials.map((c) => ({
          loginIdMasked: maskLoginId(c.loginId),
          type: c.type,
          validUntil: c.validUntil?.toISOString() ?? null,
          bankingPower: c.bankingPower,
          status: credentialStatus(c, now),
        })),
        ediSignatures: signatures
          .filter((s) => s.userId === u.id)
          .map((s) => ({
            status: s.status === 'ACTIVE' && s.validUntil.getTime() <= now.getTime() ? 'EXPIRED' : s.status,
            validFrom: s.validFrom.toISOString(),
            validUntil: s.validUntil.toISOString(),
          })),
      })),
      ...(rows.length > take ? { nextAfterUserId: page[page.length - 1].id } : {}),
    };
  }
}
