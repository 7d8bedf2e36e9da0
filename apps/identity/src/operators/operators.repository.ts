import { Injectable } from '@nestjs/common';
import { Company, Operator, OperatorApiKey, Prisma, PrismaService, Tx } from '@procura/database';

export type OperatorAuthState = Operator;

/** Operators, their portfolios and API keys (identity schema). */
@Injectable()
export class OperatorsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string): Promise<Operator | null> {
    return this.prisma.operator.findUnique({ where: { id } });
  }

  /** The sign-in lookup: by 14-digit login id or by e-mail (stored lower-cased). */
  findForLogin(login: { loginId?: string; email?: string }): Promise<Operator | null> {
    if (login.loginId) return this.prisma.operator.findUnique({ where: { loginId: login.loginId } });
    return this.prisma.operator.findUnique({ where: { email: login.email! } });
  }

  findByEmail(email: string): Promise<Operator | null> {
    return this.prisma.operator.findUnique({ where: { email } });
  }

  create(tx: Tx, data: Prisma.OperatorUncheckedCreateInput): Promise<Operator> {
    return tx.operator.create({ data });
  }

  update(tx: Tx, id: string, data: Prisma.OperatorUncheckedUpdateInput): Promise<Operator> {
    return tx.operator.update({ where: { id }, data });
  }

  /** Counts a failed attempt; locks the operator at the threshold. True when this attempt locked it. */
  async registerFailure(id: string, maxFailures: number, lockUntil: Date): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ failed_attempts: number }[]>`
      UPDATE "identity"."operators" SET failed_attempts = failed_attempts + 1,
        locked_until = CASE WHEN failed_attempts + 1 >= ${maxFailures} THEN ${lockUntil} ELSE locked_until END
      WHERE id = ${id}::uuid RETURNING failed_attempts`;
    return rows[0]?.failed_attempts === maxFailures;
  }

  async clearFailures(id: string): Promise<void> {
    await this.prisma.operator.update({ where: { id }, data: { failedAttempts: 0, lockedUntil: null } });
  }

  /** Accepts a TOTP step once: false when it (or a later one) was already used (a replay). */
  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const { count } = await this.prisma.operator.updateMany({ where: { id, totpLastStep: { lt: step } }, data: { totpLastStep: step } });
    return count === 1;
  }

  async page(organisationId: string, skip: number, take: number): Promise<[Operator[], number]> {
    const where = { organisationId, status: { not: 'REMOVED' as const } };
    return Promise.all([
      this.prisma.operator.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip, take }),
      this.prisma.operator.count({ where }),
    ]);
  }

  // ── portfolio ─────────────────────────────────────────────────────────────────────

  /**
   * Whether an operator reaches a company: active, of the company's organisation, and
   * either its supervisor or with the company in their portfolio. One statement.
   */
  async reaches(operatorId: string, companyId: string): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ ok: boolean }[]>`
      SELECT true AS ok FROM "identity"."operators" o
        JOIN "identity"."companies" c ON c.organisation_id = o.organisation_id AND c.id = ${companyId}::uuid
       WHERE o.id = ${operatorId}::uuid AND o.status = 'ACTIVE'
         AND (o.role = 'SUPERVISOR' OR EXISTS (
               SELECT 1 FROM "identity"."operator_assignments" a WHERE a.operator_id = o.id AND a.company_id = c.id))`;
    return rows.length > 0;
  }

  /** The companies an operator reaches (see `reaches`), newest first. */
  async pageReachable(operator: Operator, skip: number, take: number): Promise<[Company[], number]> {
    const where: Prisma.CompanyWhereInput =
      operator.role === 'SUPERVISOR'
        ? { organisationId: operator.organisationId }
        : { organisationId: operator.organisationId, assignments: { some: { operatorId: operator.id } } };
    if (operator.status !== 'ACTIVE') return [[], 0];
    return Promise.all([
      this.prisma.company.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip, take }),
      this.prisma.company.count({ where }),
    ]);
  }

  async assign(tx: Tx, operatorId: string, companyId: string, assignedBy: string) {
    return tx.operatorAssignment.upsert({
      where: { operatorId_companyId: { operatorId, companyId } },
      create: { operatorId, companyId, assignedBy },
      update: {},
      include: { company: true },
    });
  }

  async unassign(tx: Tx, operatorId: string, companyId: string): Promise<boolean> {
    const { count } = await tx.operatorAssignment.deleteMany({ where: { operatorId, companyId } });
    return count === 1;
  }

  async unassignAll(tx: Tx, operatorId: string): Promise<void> {
    await tx.operatorAssignment.deleteMany({ where: { operatorId } });
  }

  async pagePortfolio(operatorId: string, skip: number, take: number) {
    const where = { operatorId };
    return Promise.all([
      this.prisma.operatorAssignment.findMany({
        where,
        include: { company: true },
        orderBy: [{ assignedAt: 'desc' }, { companyId: 'asc' }],
        skip,
        take,
      }),
      this.prisma.operatorAssignment.count({ where }),
    ]);
  }

  findCompanyOfOrganisation(organisationId: string, companyId: string): Promise<Company | null> {
    return this.prisma.company.findFirst({ where: { id: companyId, organisationId } });
  }

  // ── API keys ──────────────────────────────────────────────────────────────────────

  findApiKeyByHash(keyHash: string) {
    return this.prisma.operatorApiKey.findUnique({ where: { keyHash }, include: { operator: true } });
  }

  findApiKey(id: string): Promise<OperatorApiKey | null> {
    return this.prisma.operatorApiKey.findUnique({ where: { id } });
  }

  createApiKey(tx: Tx, data: Prisma.OperatorApiKeyUncheckedCreateInput): Promise<OperatorApiKey> {
    return tx.operatorApiKey.create({ data });
  }

  /** Revokes a key still in force; false when it was revoked already. */
  async revokeApiKey(tx: Tx, id: string, at: Date): Promise<boolean> {
    const { count } = await tx.operatorApiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
    return count === 1;
  }

  async revokeApiKeysOf(tx: Tx, operatorId: string, at: Date): Promise<void> {
    await tx.operatorApiKey.updateMany({ where: { operatorId, revokedAt: null }, data: { revokedAt: at } });
  }

  /** Last-used time, written at most once a minute per key (the authentication path stays read-only otherwise). */
  async touchApiKey(id: string, at: Date): Promise<void> {
    await this.prisma.operatorApiKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(at.getTime() - 60_000) } }] },
      data: { lastUsedAt: at },
    });
  }

  async pageApiKeys(organisationId: string, skip: number, take: number): Promise<[OperatorApiKey[], number]> {
    const where = { organisationId };
    return Promise.all([
      this.prisma.operatorApiKey.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip, take }),
      this.prisma.operatorApiKey.count({ where }),
    ]);
  }
}
