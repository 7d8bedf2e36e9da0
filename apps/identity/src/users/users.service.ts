import { Injectable } from '@nestjs/common';
import { Actor, ListUsersQueryDto, Page, pageWindow, ReportUser, UserContact, UserView, ValidatorEligibility } from '@procura/contracts';
import { maskLoginId } from '../credentials/login-id';
import { Clock } from '../shared/clock';
import { credentialStatus, toUserView } from './user-views';
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

/** Reads of users, and the user facts other services ask for (every change to a user is a change request). */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

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
