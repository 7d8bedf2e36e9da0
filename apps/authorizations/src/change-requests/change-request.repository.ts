import { Injectable } from '@nestjs/common';
import { ChangeItemOutcome, ChangeRequestStatus } from '@procura/contracts';
import { ChangeApproval, ChangeRequest, ChangeRequestItem, Prisma, PrismaService, Tx } from '@procura/database';

export type FullChangeRequest = ChangeRequest & { items: ChangeRequestItem[]; approvals: ChangeApproval[] };

const FULL = { items: { orderBy: { position: 'asc' as const } }, approvals: { orderBy: { approvedAt: 'asc' as const } } };

/**
 * A request with its items and approvals in one statement (Prisma's include costs three),
 * optionally locking the request row: the approval and application paths read it several
 * times per decision.
 */
const FULL_ROW_SQL = (lock: boolean) => `
  SELECT cr.id::text, cr.company_id::text, cr.maker_user_id::text, cr.maker_kind, cr.maker_contact::text, cr.status::text, cr.kind, cr.summary,
         cr.required_approvals, cr.subject_user_ids::text[], cr.reason, cr.result::text, cr.reveal_once_sealed, cr.source_ip,
         cr.request_id, cr.idempotency_key, cr.expires_at, cr.created_at, cr.decided_at, cr.applied_at, cr.application_started_at,
         COALESCE((SELECT json_agg(i ORDER BY i.position) FROM "authorizations"."change_request_items" i WHERE i.change_request_id = cr.id), '[]')::text AS items,
         COALESCE((SELECT json_agg(a ORDER BY a.approved_at) FROM "authorizations"."change_approvals" a WHERE a.change_request_id = cr.id), '[]')::text AS approvals
    FROM "authorizations"."change_requests" cr
   WHERE cr.id = $1::uuid${lock ? ' FOR UPDATE OF cr' : ''}`;

interface FullRow {
  id: string;
  company_id: string;
  maker_user_id: string;
  maker_kind: string;
  maker_contact: string;
  status: string;
  kind: string;
  summary: string;
  required_approvals: number;
  subject_user_ids: string[];
  reason: string | null;
  result: string | null;
  reveal_once_sealed: string | null;
  source_ip: string | null;
  request_id: string | null;
  idempotency_key: string | null;
  expires_at: Date | string;
  created_at: Date | string;
  decided_at: Date | string | null;
  applied_at: Date | string | null;
  application_started_at: Date | string | null;
  items: string;
  approvals: string;
}

const date = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const optionalDate = (value: Date | string | null) => (value === null ? null : date(value));

/** The row of FULL_ROW_SQL in the shape Prisma gives with `include: FULL`. */
function fullChangeRequestFromRow(row: FullRow): FullChangeRequest {
  const items = JSON.parse(row.items) as Array<Record<string, unknown>>;
  const approvals = JSON.parse(row.approvals) as Array<Record<string, unknown>>;
  return {
    id: row.id,
    companyId: row.company_id,
    makerUserId: row.maker_user_id,
    makerKind: row.maker_kind,
    makerContact: JSON.parse(row.maker_contact) as Prisma.JsonValue,
    status: row.status as ChangeRequest['status'],
    kind: row.kind,
    summary: row.summary,
    requiredApprovals: Number(row.required_approvals),
    subjectUserIds: row.subject_user_ids,
    reason: row.reason,
    result: row.result === null ? null : (JSON.parse(row.result) as Prisma.JsonValue),
    revealOnceSealed: row.reveal_once_sealed,
    sourceIp: row.source_ip,
    requestId: row.request_id,
    idempotencyKey: row.idempotency_key,
    expiresAt: date(row.expires_at),
    createdAt: date(row.created_at),
    decidedAt: optionalDate(row.decided_at),
    appliedAt: optionalDate(row.applied_at),
    applicationStartedAt: optionalDate(row.application_started_at),
    items: items.map((i) => ({
      id: i.id as string,
      changeRequestId: i.change_request_id as string,
      position: i.position as number,
      kind: i.kind as string,
      ownerService: i.owner_service as string,
      payload: i.payload as Prisma.JsonValue,
      summary: i.summary as string,
      diff: i.diff as Prisma.JsonValue,
      targetType: i.target_type as string,
      targetId: (i.target_id as string | null) ?? null,
      targetVersion: (i.target_version as number | null) ?? null,
      outcome: (i.outcome as string | null) ?? null,
      reason: (i.reason as string | null) ?? null,
      ref: (i.ref as string | null) ?? null,
      creates: (i.creates as Prisma.JsonValue) ?? null,
      submitted: (i.submitted as Prisma.JsonValue) ?? null,
    })),
    approvals: approvals.map((a) => ({
      changeRequestId: a.change_request_id as string,
      validatorUserId: a.validator_user_id as string,
      approvedAt: new Date(a.approved_at as string),
    })),
  };
}

export interface ListFilter {
  companyId: string;
  status?: ChangeRequestStatus;
  kind?: string;
  makerUserId?: string;
  createdBefore?: Date;
}

/** What the approval path reads under the lock: only what it decides on. */
export interface ApprovalState {
  status: ChangeRequestStatus;
  expiresAt: Date;
  requiredApprovals: number;
  approvals: number;
}

/** The outcome of an application, written in one go. */
export interface Finish {
  status: 'APPLIED' | 'STALE' | 'FAILED';
  reason: string | null;
  result: Prisma.InputJsonValue | null;
  revealOnceSealed: string | null;
  items: Array<{ id: string; outcome: ChangeItemOutcome; reason: string | null }>;
}

@Injectable()
export class ChangeRequestRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(
    tx: Tx,
    data: Prisma.ChangeRequestUncheckedCreateInput,
    items: Array<Omit<Prisma.ChangeRequestItemUncheckedCreateInput, 'changeRequestId'>>,
  ) {
    return tx.changeRequest.create({ data: { ...data, items: { create: items } }, include: FULL });
  }

  async find(id: string): Promise<FullChangeRequest | null> {
    const [row] = await this.prisma.$queryRawUnsafe<FullRow[]>(FULL_ROW_SQL(false), id);
    return row ? fullChangeRequestFromRow(row) : null;
  }

  findByIdempotencyKey(makerUserId: string, idempotencyKey: string): Promise<FullChangeRequest | null> {
    return this.prisma.changeRequest.findUnique({ where: { makerUserId_idempotencyKey: { makerUserId, idempotencyKey } }, include: FULL });
  }

  /** Locks the request for the rest of the transaction: status changes are serialised. */
  async lock(tx: Tx, id: string): Promise<FullChangeRequest | null> {
    const [row] = await tx.$queryRawUnsafe<FullRow[]>(FULL_ROW_SQL(true), id);
    return row ? fullChangeRequestFromRow(row) : null;
  }

  /** Locks the request for the rest of the transaction, reading only what an approval decides on. */
  async lockApprovalState(tx: Tx, id: string): Promise<ApprovalState | null> {
    const [row] = await tx.$queryRawUnsafe<
      Array<{ status: string; expires_at: Date | string; required_approvals: number; approvals: number }>
    >(
      `SELECT status::text, expires_at, required_approvals,
              (SELECT count(*)::int FROM "authorizations"."change_approvals" a WHERE a.change_request_id = cr.id) AS approvals
         FROM "authorizations"."change_requests" cr WHERE cr.id = $1::uuid FOR UPDATE`,
      id,
    );
    if (!row) return null;
    return {
      status: row.status as ChangeRequestStatus,
      expiresAt: date(row.expires_at),
      requiredApprovals: Number(row.required_approvals),
      approvals: Number(row.approvals),
    };
  }

  /** The final approval: APPROVED, and (a request of one item needs no second validation) its application started. */
  async markApproved(tx: Tx, id: string, decidedAt: Date, startApplication: boolean): Promise<void> {
    await tx.$executeRawUnsafe(
      `UPDATE "authorizations"."change_requests" SET status = 'APPROVED', decided_at = $2::timestamptz,
              application_started_at = CASE WHEN $3::boolean THEN $2::timestamptz END WHERE id = $1::uuid`,
      id,
      decidedAt,
      startApplication,
    );
  }

  /**
   * Marks the application as started, once: from then on the request is resumed, never
   * validated again. False when another applier started it first.
   */
  async startApplication(id: string): Promise<boolean> {
    const updated = await this.prisma.$executeRawUnsafe(
      `UPDATE "authorizations"."change_requests" SET application_started_at = now()
        WHERE id = $1::uuid AND status = 'APPROVED' AND application_started_at IS NULL`,
      id,
    );
    return updated === 1;
  }

  /** Status, outcome and every item's outcome, in two statements; false when the request was no longer APPROVED. */
  async finish(tx: Tx, id: string, finish: Finish): Promise<boolean> {
    const updated = await tx.$executeRawUnsafe(
      `UPDATE "authorizations"."change_requests"
          SET status = $2::"authorizations"."ChangeRequestStatus", reason = $3, result = $4::jsonb, reveal_once_sealed = $5,
              applied_at = CASE WHEN $2 = 'APPLIED' THEN now() END
        WHERE id = $1::uuid AND status = 'APPROVED'`,
      id,
      finish.status,
      finish.reason,
      finish.result === null ? null : JSON.stringify(finish.result),
      finish.revealOnceSealed,
    );
    if (updated !== 1) return false;
    await tx.$executeRawUnsafe(
      `UPDATE "authorizations"."change_request_items" i SET outcome = t.outcome, reason = t.reason
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, outcome, reason) WHERE i.id = t.id`,
      finish.items.map((i) => i.id),
      finish.items.map((i) => i.outcome),
      finish.items.map((i) => i.reason),
    );
    return true;
  }

  /** Approved requests whose application has not finished a while after the decision (a crash, a service down). */
  async unfinished(olderThanMs: number, limit: number): Promise<string[]> {
    const rows = await this.prisma.$queryRawUnsafe<Array<{ id: string }>>(
      `SELECT id::text FROM "authorizations"."change_requests"
        WHERE status = 'APPROVED' AND decided_at < now() - $1::float8 * interval '1 millisecond'
        ORDER BY decided_at LIMIT ${Number(limit)}`,
      olderThanMs,
    );
    return rows.map((r) => r.id);
  }

  /** Adds one approval; false when this validator already approved (each validator counts once). */
  async addApproval(tx: Tx, changeRequestId: string, validatorUserId: string): Promise<boolean> {
    const inserted = await tx.$executeRawUnsafe(
      `INSERT INTO "authorizations"."change_approvals" (change_request_id, validator_user_id) VALUES ($1::uuid, $2::uuid) ON CONFLICT DO NOTHING`,
      changeRequestId,
      validatorUserId,
    );
    return inserted === 1;
  }

  update(tx: Tx, id: string, data: Prisma.ChangeRequestUncheckedUpdateInput) {
    return tx.changeRequest.update({ where: { id }, data, include: FULL });
  }

  /** The same update when the caller does not need the request back: one statement instead of three. */
  async set(tx: Tx, id: string, data: Prisma.ChangeRequestUncheckedUpdateInput): Promise<void> {
    await tx.changeRequest.update({ where: { id }, data, select: { id: true } });
  }

  /** The status alone, without a lock (callers re-check under the lock before acting). */
  async status(id: string): Promise<ChangeRequestStatus | null> {
    const row = await this.prisma.changeRequest.findUnique({ where: { id }, select: { status: true } });
    return (row?.status as ChangeRequestStatus | undefined) ?? null;
  }

  async page(filter: ListFilter, skip: number, take: number): Promise<[FullChangeRequest[], number]> {
    const where: Prisma.ChangeRequestWhereInput = {
      companyId: filter.companyId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.kind ? { items: { some: { kind: filter.kind } } } : {}),
      ...(filter.makerUserId ? { makerUserId: filter.makerUserId } : {}),
      ...(filter.createdBefore ? { createdAt: { lt: filter.createdBefore } } : {}),
    };
    return Promise.all([
      this.prisma.changeRequest.findMany({ where, include: FULL, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.changeRequest.count({ where }),
    ]);
  }

  /** Every pending request of a company (few: they wait for approval or expire within days). */
  pendingOf(companyId: string): Promise<FullChangeRequest[]> {
    return this.prisma.changeRequest.findMany({ where: { companyId, status: 'PENDING' }, include: FULL, orderBy: { createdAt: 'asc' } });
  }

  /** Pending requests about some users (for the access-rights report). */
  pendingAbout(companyId: string, userIds: string[]) {
    return this.prisma.changeRequest.findMany({
      where: { companyId, status: 'PENDING', subjectUserIds: { hasSome: userIds } },
      select: { id: true, kind: true, summary: true, createdAt: true, subjectUserIds: true },
      orderBy: { createdAt: 'asc' },
    });
  }
}
