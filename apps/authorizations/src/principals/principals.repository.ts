import { Injectable } from '@nestjs/common';
import { PlannedEntities } from '@procura/changes';
import { PrincipalStateJob } from '@procura/contracts';
import { Db, PrismaService, Transactions, Tx } from '@procura/database';

@Injectable()
export class PrincipalsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: Transactions,
  ) {}

  /**
   * Applies an identity state unless a newer one is already recorded (jobs may arrive
   * out of order or twice). Returns whether the projection changed.
   */
  async apply(state: PrincipalStateJob): Promise<boolean> {
    return this.transactions.run(async (tx) => {
      const rows = await tx.$queryRaw<Array<{ user_id: string }>>`
        INSERT INTO "authorizations"."principals" (user_id, company_id, status, version, updated_at)
        VALUES (${state.userId}::uuid, ${state.companyId}::uuid, ${state.status}, ${state.version}, now())
        ON CONFLICT (user_id) DO UPDATE SET company_id = EXCLUDED.company_id, status = EXCLUDED.status, version = EXCLUDED.version, updated_at = now()
        WHERE "principals".version < EXCLUDED.version
        RETURNING user_id`;
      if (rows.length === 0) return false;
      await tx.principalCredential.deleteMany({ where: { userId: state.userId } });
      if (state.credentials.length) {
        await tx.principalCredential.createMany({
          data: state.credentials.map((c) => ({
            id: c.id,
            userId: state.userId,
            validUntil: c.validUntil ? new Date(c.validUntil) : null,
            revoked: c.revoked,
            bankingPower: c.bankingPower,
          })),
        });
      }
      return true;
    });
  }

  find(userId: string, db: Db = this.prisma) {
    return db.principal.findUnique({ where: { userId }, include: { credentials: true } });
  }

  findMany(userIds: string[], db: Db = this.prisma) {
    return db.principal.findMany({ where: { userId: { in: userIds } }, include: { credentials: true } });
  }

  /** Users of the company that may receive rights (known to the projection and not deleted). */
  async membersOf(db: Db, companyId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await db.principal.findMany({
      where: { companyId, userId: { in: userIds }, status: { not: 'DELETED' } },
      select: { userId: true },
    });
    return new Set(rows.map((r) => r.userId));
  }

  /**
   * Users an earlier item of the same change request registered in identity are known
   * here only once identity's principal job arrives, which may be after the next item
   * applies: they are entered from the plan (version 0, so identity's first state, version
   * 1 or more, replaces it), and rights can be given to them in the same request.
   */
  async ensurePlanned(tx: Tx, planned: PlannedEntities, companyId: string, userIds: string[]): Promise<void> {
    const users = userIds.map((id) => planned.user(companyId, id)).filter((u) => u !== undefined);
    if (users.length === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO "authorizations"."principals" (user_id, company_id, status, version, updated_at)
       SELECT u, $2::uuid, s, 0, now() FROM unnest($1::uuid[], $3::text[]) AS t(u, s)
       ON CONFLICT (user_id) DO NOTHING`,
      users.map((u) => u.id),
      companyId,
      users.map((u) => u.status),
    );
  }

  /** Locks the principal rows (rights changes to one user serialise) and returns their rights versions. */
  async lockRightsVersions(db: Tx, userIds: string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await db.$queryRaw<Array<{ user_id: string; rights_version: number }>>`
      SELECT user_id, rights_version FROM "authorizations"."principals" WHERE user_id = ANY(${userIds}::uuid[]) ORDER BY user_id FOR UPDATE`;
    return new Map(rows.map((r) => [r.user_id, r.rights_version]));
  }

  async bumpRightsVersions(db: Tx, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await db.principal.updateMany({ where: { userId: { in: userIds } }, data: { rightsVersion: { increment: 1 } } });
  }

  /**
   * Credentials of active users that passed their end date and were not looked at since
   * (nothing announces an end date passing), oldest first, with their users' companies.
   */
  expiredUnchecked(now: Date, limit: number): Promise<Array<{ credentialId: string; companyId: string }>> {
    return this.prisma.$queryRaw`
      SELECT c.id AS "credentialId", p.company_id AS "companyId"
        FROM "authorizations"."principal_credentials" c JOIN "authorizations"."principals" p ON p.user_id = c.user_id
       WHERE c.valid_until <= ${now} AND c.expiry_checked_at IS NULL AND NOT c.revoked AND p.status = 'ACTIVE'
       ORDER BY c.valid_until
       LIMIT ${limit}`;
  }

  async markExpiryChecked(credentialIds: string[], now: Date): Promise<void> {
    if (credentialIds.length === 0) return;
    await this.prisma.principalCredential.updateMany({ where: { id: { in: credentialIds } }, data: { expiryCheckedAt: now } });
  }

  async userIdsOfCompany(companyId: string): Promise<string[]> {
    const rows = await this.prisma.principal.findMany({ where: { companyId }, select: { userId: true } });
    return rows.map((r) => r.userId);
  }
}
