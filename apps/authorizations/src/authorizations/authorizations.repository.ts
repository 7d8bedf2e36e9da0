import { Injectable } from '@nestjs/common';
import { ContractTypeProfileDto, GrantDto, Profile } from '@procura/contracts';
import { Db, Prisma, PrismaService } from '@procura/database';

const FULL = { grants: { orderBy: { rightCode: 'asc' } }, users: { orderBy: { assignedAt: 'asc' } } } as const;

export type FullAuthorization = Prisma.AuthorizationGetPayload<{ include: typeof FULL }>;

export interface NewAuthorization {
  id: string;
  companyId: string;
  label: string;
  service: string;
  effectiveFrom: Date;
  endsAt: Date | null;
  grants: GrantDto[];
  userIds: string[];
  /** Authorize-all's standing rule (seed 002), kept on its banking authorization. */
  standingProfiles?: ContractTypeProfileDto[];
}

/** The standing rule an authorization carries, or null (the column holds what authorize-all planned). */
export function standingProfilesOf(a: { standingProfiles: Prisma.JsonValue }): Array<{ contractType: string; profile: Profile }> | null {
  return Array.isArray(a.standingProfiles) ? (a.standingProfiles as Array<{ contractType: string; profile: Profile }>) : null;
}

@Injectable()
export class AuthorizationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(id: string, db: Db = this.prisma): Promise<FullAuthorization | null> {
    return db.authorization.findUnique({ where: { id }, include: FULL });
  }

  /** Locks the row for the rest of the transaction (concurrent changes to one authorization serialise). */
  async lock(db: Prisma.TransactionClient, id: string): Promise<FullAuthorization | null> {
    await db.$queryRaw`SELECT id FROM "authorizations"."authorizations" WHERE id = ${id}::uuid FOR UPDATE`;
    return this.find(id, db);
  }

  async page(
    companyId: string,
    userId: string | undefined,
    skip: number,
    take: number,
  ): Promise<{ items: FullAuthorization[]; total: number }> {
    const where: Prisma.AuthorizationWhereInput = { companyId, ...(userId ? { users: { some: { userId } } } : {}) };
    const [items, total] = await Promise.all([
      this.prisma.authorization.findMany({ where, include: FULL, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip, take }),
      this.prisma.authorization.count({ where }),
    ]);
    return { items, total };
  }

  async create(db: Prisma.TransactionClient, a: NewAuthorization): Promise<void> {
    await db.authorization.create({
      data: {
        id: a.id,
        companyId: a.companyId,
        label: a.label,
        serviceCode: a.service,
        effectiveFrom: a.effectiveFrom,
        endsAt: a.endsAt,
        ...(a.standingProfiles?.length
          ? { standingProfiles: a.standingProfiles.map(({ contractType, profile }) => ({ contractType, profile })) }
          : {}),
        grants: { create: a.grants.map((g) => ({ rightCode: g.right, levelCode: g.level, resourceIds: g.resourceIds ?? [] })) },
        users: { create: a.userIds.map((userId) => ({ userId })) },
      },
    });
  }

  async update(
    db: Prisma.TransactionClient,
    id: string,
    fields: { label?: string; effectiveFrom?: Date; endsAt?: Date | null },
    grants: GrantDto[] | undefined,
  ): Promise<void> {
    await db.authorization.update({ where: { id }, data: { ...fields, version: { increment: 1 } } });
    if (grants) {
      await db.authorizationGrant.deleteMany({ where: { authorizationId: id } });
      await db.authorizationGrant.createMany({
        data: grants.map((g) => ({ authorizationId: id, rightCode: g.right, levelCode: g.level, resourceIds: g.resourceIds ?? [] })),
      });
    }
  }

  async assign(db: Prisma.TransactionClient, id: string, attach: string[], detach: string[]): Promise<void> {
    if (detach.length) await db.authorizationUser.deleteMany({ where: { authorizationId: id, userId: { in: detach } } });
    if (attach.length)
      await db.authorizationUser.createMany({ data: attach.map((userId) => ({ authorizationId: id, userId })), skipDuplicates: true });
    await db.authorization.update({ where: { id }, data: { version: { increment: 1 } } });
  }

  /**
   * The company's banking authorizations with a standing rule, still in force at `now`,
   * locked for the rest of the transaction (a change of one of them waits for the extension).
   */
  async lockStanding(db: Prisma.TransactionClient, companyId: string, service: string, now: Date): Promise<FullAuthorization[]> {
    const rows = await db.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "authorizations"."authorizations"
      WHERE company_id = ${companyId}::uuid AND service_code = ${service} AND standing_profiles IS NOT NULL
        AND (ends_at IS NULL OR ends_at > ${now})
      ORDER BY id FOR UPDATE`;
    if (rows.length === 0) return [];
    return db.authorization.findMany({ where: { id: { in: rows.map((r) => r.id) } }, include: FULL, orderBy: { id: 'asc' } });
  }

  /** Adds resources to grants of an authorization (creating the grants it lacks) and moves its version on. */
  async addResources(db: Prisma.TransactionClient, id: string, additions: Array<{ right: string; level: string; resourceIds: string[] }>) {
    for (const g of additions) {
      const existing = await db.authorizationGrant.findUnique({
        where: { authorizationId_rightCode: { authorizationId: id, rightCode: g.right } },
      });
      if (existing)
        await db.authorizationGrant.update({
          where: { authorizationId_rightCode: { authorizationId: id, rightCode: g.right } },
          data: { resourceIds: [...new Set([...existing.resourceIds, ...g.resourceIds])] },
        });
      else
        await db.authorizationGrant.create({
          data: { authorizationId: id, rightCode: g.right, levelCode: g.level, resourceIds: g.resourceIds },
        });
    }
    await db.authorization.update({ where: { id }, data: { version: { increment: 1 } } });
  }

  async delete(db: Prisma.TransactionClient, id: string): Promise<void> {
    await db.authorization.delete({ where: { id } });
  }

  /** Every authorization a user is attached to, whatever its dates. */
  ofUser(userId: string, db: Db = this.prisma): Promise<FullAuthorization[]> {
    return db.authorization.findMany({
      where: { users: { some: { userId } } },
      include: FULL,
      orderBy: [{ effectiveFrom: 'asc' }, { id: 'asc' }],
    });
  }

  ofUsers(userIds: string[], db: Db = this.prisma): Promise<FullAuthorization[]> {
    return db.authorization.findMany({
      where: { users: { some: { userId: { in: userIds } } } },
      include: FULL,
      orderBy: [{ effectiveFrom: 'asc' }, { id: 'asc' }],
    });
  }

  /** ofUsers grouped by user: an entry (maybe empty) for each of `userIds`, in the same order. */
  async ofUsersByUser(userIds: string[]): Promise<Map<string, FullAuthorization[]>> {
    const byUser = new Map<string, FullAuthorization[]>(userIds.map((id) => [id, []]));
    for (const a of await this.ofUsers(userIds)) for (const u of a.users) byUser.get(u.userId)?.push(a);
    return byUser;
  }

  /** Rights of the given service that each user holds through authorizations other than `except`. */
  async rightsOfUsersIn(db: Db, service: string, userIds: string[], except?: string): Promise<Map<string, string[]>> {
    const rows = await db.authorizationUser.findMany({
      where: { userId: { in: userIds }, authorization: { serviceCode: service, ...(except ? { id: { not: except } } : {}) } },
      select: { userId: true, authorization: { select: { grants: { select: { rightCode: true } } } } },
    });
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), ...r.authorization.grants.map((g) => g.rightCode)]);
    return out;
  }

  async servicesOfUser(userId: string, companyId: string): Promise<string[]> {
    const rows = await this.prisma.authorization.findMany({
      where: { companyId, users: { some: { userId } } },
      select: { serviceCode: true },
      distinct: ['serviceCode'],
      orderBy: { serviceCode: 'asc' },
    });
    return rows.map((r) => r.serviceCode);
  }
}
