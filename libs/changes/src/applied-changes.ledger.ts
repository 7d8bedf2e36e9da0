import { AuditEventJob, ChangeOutcome } from '@procura/contracts';
import { Db } from '@procura/database';

/** An item's recorded outcome: the first decision is final, a replay returns it. */
export interface LedgerEntry {
  outcome: ChangeOutcome;
  reason?: string;
  code?: string;
  result?: Record<string, unknown>;
  followUp?: Record<string, unknown>;
  /** The audit entries of the decision, given again on a replay. */
  audit?: AuditEventJob[];
}

interface LedgerRow {
  outcome: string;
  reason: string | null;
  result: Record<string, unknown> | string | null;
}

/**
 * Each owner's `applied_changes` table (one per service schema, same shape), keyed by the
 * change request item's id: an outcome is recorded once, in the transaction that made the
 * change, and a second application of the item returns it instead of doing anything.
 * Plain SQL: two statements on every application, nothing Prisma adds helps here.
 */
export class AppliedChangesLedger {
  constructor(private readonly schema: string) {}

  /** Records the outcome unless one is already recorded; false when it was (the caller's work must roll back). */
  async record(db: Db, itemId: string, kind: string, companyId: string, entry: LedgerEntry): Promise<boolean> {
    const stored = { result: entry.result ?? null, followUp: entry.followUp ?? null, code: entry.code ?? null, audit: entry.audit ?? null };
    const inserted = await db.$executeRawUnsafe(
      `INSERT INTO "${this.schema}"."applied_changes" (change_request_id, kind, company_id, outcome, reason, result)
       VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6::jsonb) ON CONFLICT (change_request_id) DO NOTHING`,
      itemId,
      kind,
      companyId,
      entry.outcome,
      entry.reason ?? null,
      JSON.stringify(stored),
    );
    return inserted === 1;
  }

  async find(db: Db, itemId: string): Promise<LedgerEntry | null> {
    const [row] = await db.$queryRawUnsafe<LedgerRow[]>(
      `SELECT outcome, reason, result FROM "${this.schema}"."applied_changes" WHERE change_request_id = $1::uuid`,
      itemId,
    );
    if (!row) return null;
    const raw = (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as Record<string, unknown> | null;
    // Rows written before the change kit kept the result itself (identity) or {result, subjectUserIds} (authorizations).
    const shaped = raw && ('followUp' in raw || 'code' in raw || 'result' in raw);
    const result = (shaped ? raw.result : raw) as Record<string, unknown> | null;
    const followUp = shaped
      ? ((raw.followUp ?? (raw.subjectUserIds ? { rightsChangedFor: raw.subjectUserIds } : null)) as Record<string, unknown> | null)
      : null;
    return {
      outcome: row.outcome as ChangeOutcome,
      ...(row.reason ? { reason: row.reason } : {}),
      ...(shaped && raw.code ? { code: raw.code as string } : {}),
      ...(result ? { result } : {}),
      ...(followUp ? { followUp } : {}),
      ...(shaped && Array.isArray(raw.audit) ? { audit: raw.audit as AuditEventJob[] } : {}),
    };
  }
}
