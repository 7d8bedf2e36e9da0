import { Injectable } from '@nestjs/common';
import { ChangeOutcome } from '@procura/contracts';
import { PrismaService } from '@procura/database';
import { Db } from '../authorizations/authorizations.repository';

export interface AppliedRecord {
  outcome: ChangeOutcome;
  reason?: string;
  result?: Record<string, unknown>;
  /** Users whose rights the change touched: their compiled rights are invalidated again on a replay. */
  subjectUserIds: string[];
}

@Injectable()
export class AppliedChangesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async find(changeRequestId: string, db: Db = this.prisma): Promise<AppliedRecord | null> {
    const row = await db.appliedChange.findUnique({ where: { changeRequestId } });
    if (!row) return null;
    const stored = (row.result ?? {}) as { result?: Record<string, unknown>; subjectUserIds?: string[] };
    return {
      outcome: row.outcome as ChangeOutcome,
      reason: row.reason ?? undefined,
      result: stored.result,
      subjectUserIds: stored.subjectUserIds ?? [],
    };
  }

  /** Records an outcome once; a concurrent duplicate keeps the first. */
  async record(db: Db, changeRequestId: string, kind: string, companyId: string, record: AppliedRecord): Promise<void> {
    await db.appliedChange.createMany({
      data: [
        {
          changeRequestId,
          kind,
          companyId,
          outcome: record.outcome,
          reason: record.reason ?? null,
          result: JSON.parse(JSON.stringify({ result: record.result, subjectUserIds: record.subjectUserIds })) as object,
        },
      ],
      skipDuplicates: true,
    });
  }
}
