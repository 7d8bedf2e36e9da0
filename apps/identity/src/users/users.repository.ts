import { Injectable } from '@nestjs/common';
import { Company, Credential, Prisma, PrismaService, Tx, User } from '@procura/database';
import { StaleChangeError } from '@procura/changes';
import { randomUUID } from 'node:crypto';

export type UserWithCredentials = User & { credentials: Credential[] };

/** Filters of the users list (the console's search and its status and type filters). */
export interface UserListFilter {
  status?: string;
  clientType?: string;
  /** Part of the last name, first name or e-mail, any case. */
  text?: string;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(userId: string, tx: Tx | PrismaService = this.prisma): Promise<User | null> {
    return tx.user.findUnique({ where: { id: userId } });
  }

  findCompany(companyId: string, tx: Tx | PrismaService = this.prisma): Promise<Company | null> {
    return tx.company.findUnique({ where: { id: companyId } });
  }

  /** Serialises the changes of one company (the last-administrator rule reads then writes). */
  async lockCompany(tx: Tx, companyId: string): Promise<void> {
    await tx.$queryRawUnsafe(`SELECT id FROM "identity"."companies" WHERE id = $1::uuid FOR UPDATE`, companyId);
  }

  countActiveAdministrators(companyId: string, excludingUserId?: string, tx: Tx | PrismaService = this.prisma): Promise<number> {
    return tx.user.count({
      where: { companyId, status: 'ACTIVE', clientType: 'ADMINISTRATOR', ...(excludingUserId ? { id: { not: excludingUserId } } : {}) },
    });
  }

  /** The person this e-mail identifies on the platform (every company's users together). */
  personByEmail(email: string, tx: Tx | PrismaService = this.prisma): Promise<{ id: string } | null> {
    return tx.person.findUnique({ where: { email }, select: { id: true } });
  }

  async createPerson(tx: Tx, email: string): Promise<string> {
    const id = randomUUID();
    await tx.person.create({ data: { id, email } });
    return id;
  }

  setPersonEmail(tx: Tx, personId: string, email: string): Promise<unknown> {
    return tx.person.update({ where: { id: personId }, data: { email } });
  }

  /** A person's memberships (one users row per company), deleted ones left out, oldest first. */
  memberships(personId: string, tx: Tx | PrismaService = this.prisma): Promise<Array<User & { company: Company }>> {
    return tx.user.findMany({
      where: { personId, status: { not: 'DELETED' } },
      include: { company: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  countMemberships(personId: string, tx: Tx | PrismaService = this.prisma): Promise<number> {
    return tx.user.count({ where: { personId } });
  }

  /** Deleted memberships included: a person has one users row per company, ever. */
  countMembershipIn(personId: string, companyId: string, tx: Tx | PrismaService = this.prisma): Promise<number> {
    return tx.user.count({ where: { personId, companyId } });
  }

  create(tx: Tx, data: Prisma.UserUncheckedCreateInput): Promise<User> {
    return tx.user.create({ data });
  }

  /**
   * Updates the user if it is still at `version` (and bumps it): a change made meanwhile
   * by someone else makes the change STALE instead of being overwritten.
   */
  async updateVersion(tx: Tx, userId: string, version: number, data: Prisma.UserUncheckedUpdateInput): Promise<User> {
    try {
      return await tx.user.update({ where: { id: userId, version }, data: { ...data, version: { increment: 1 } } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025')
        throw new StaleChangeError('The user changed while the change was applied: submit it again');
      throw error;
    }
  }

  /** Updates and bumps the version; the caller has checked the version it read. */
  update(tx: Tx, userId: string, data: Prisma.UserUncheckedUpdateInput): Promise<User> {
    return tx.user.update({ where: { id: userId }, data: { ...data, version: { increment: 1 } } });
  }

  async page(companyId: string, filter: UserListFilter, skip: number, take: number): Promise<[User[], number]> {
    const { status, clientType, text } = filter;
    const contains = text?.trim();
    const where: Prisma.UserWhereInput = {
      companyId,
      ...(status ? { status: status as User['status'] } : { status: { not: 'DELETED' } }),
      ...(clientType ? { clientType: clientType as User['clientType'] } : {}),
      ...(contains
        ? {
            OR: (['lastName', 'firstName', 'email'] as const).map((field) => ({ [field]: { contains, mode: 'insensitive' as const } })),
          }
        : {}),
    };
    return Promise.all([
      this.prisma.user.findMany({ where, orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }], skip, take }),
      this.prisma.user.count({ where }),
    ]);
  }

  contacts(companyId: string, userIds: string[] | undefined, administratorsOnly: boolean): Promise<UserWithCredentials[]> {
    return this.prisma.user.findMany({
      include: { credentials: true },
      where: {
        companyId,
        status: administratorsOnly ? 'ACTIVE' : { not: 'DELETED' },
        ...(userIds ? { id: { in: userIds } } : {}),
        ...(administratorsOnly ? { clientType: 'ADMINISTRATOR' } : {}),
      },
      orderBy: { id: 'asc' },
    });
  }

  withCredentials(userId: string): Promise<UserWithCredentials | null> {
    return this.prisma.user.findUnique({ where: { id: userId }, include: { credentials: true } });
  }

  /** The EDI signatures of some users (the report lists them with their validity). */
  ediSignaturesOf(userIds: string[]) {
    return this.prisma.ediSignature.findMany({ where: { userId: { in: userIds } }, orderBy: { createdAt: 'asc' } });
  }

  /** Keyset page by id: the report never loads a whole company at once. */
  keysetPage(companyId: string, afterUserId: string | undefined, take: number): Promise<UserWithCredentials[]> {
    return this.prisma.user.findMany({
      where: { companyId, ...(afterUserId ? { id: { gt: afterUserId } } : {}) },
      include: { credentials: { orderBy: { createdAt: 'asc' } } },
      orderBy: { id: 'asc' },
      take,
    });
  }
}
