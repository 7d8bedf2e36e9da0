import { Injectable } from '@nestjs/common';
import { IdentityAppliedChange, Prisma, PrismaService } from '@procura/database';
import { Tx } from '../companies/companies.repository';

@Injectable()
export class ChangesRepository {
  constructor(private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => fn(tx as Tx), { timeout: 15_000 });
  }

  find(changeRequestId: string, tx: Tx | PrismaService = this.prisma): Promise<IdentityAppliedChange | null> {
    return tx.identityAppliedChange.findUnique({ where: { changeRequestId } });
  }

  /** Two appliers of one change id queue here until the first commits. */
  async lock(tx: Tx, changeRequestId: string): Promise<void> {
    await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(hashtextextended($1, 17))::text AS locked`, changeRequestId);
  }

  async save(
    tx: Tx,
    row: { changeRequestId: string; kind: string; companyId: string; outcome: string; reason?: string; result?: Record<string, unknown> },
  ): Promise<void> {
    await tx.identityAppliedChange.create({
      data: { ...row, result: row.result === undefined ? Prisma.JsonNull : (row.result as Prisma.InputJsonValue) },
    });
  }
}
