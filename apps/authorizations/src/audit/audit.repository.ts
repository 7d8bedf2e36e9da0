import { Injectable } from '@nestjs/common';
import { AuditEventJob } from '@procura/contracts';
import { AuditEntry, PoolSql, Prisma, PrismaService } from '@procura/database';
import { ChainedFields, chainHash, GENESIS_HASH } from './audit-chain';

export type StoredEntry = ChainedFields & { prevHash: string; hash: string };

/** Filters of the trail's list; `about` matches an entry's target or a user's own actions. */
export interface AuditFilter {
  action?: string;
  actor?: string;
  about?: string[];
  from?: string;
  to?: string;
}

export function chainOf(companyId: string | null): string {
  return companyId ?? 'platform';
}

function toStored(row: AuditEntry): StoredEntry {
  return {
    chain: row.chain,
    seq: Number(row.seq),
    eventId: row.eventId,
    occurredAt: row.occurredAt.toISOString(),
    actor: row.actor,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    sourceIp: row.sourceIp,
    requestId: row.requestId,
    before: row.before ?? null,
    after: row.after ?? null,
    details: row.details ?? null,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

@Injectable()
export class AuditRepository {
  private readonly sql: PoolSql;

  constructor(private readonly prisma: PrismaService) {
    this.sql = new PoolSql(prisma.pool);
  }

  /**
   * Appends one event at the end of its company's chain. The chain head row is locked
   * for the transaction (the upsert creates it for a new chain and locks it either way),
   * so concurrent appends to one chain are serialised; an event already recorded (a
   * retried job) hits the unique event id and is not appended twice. Plain SQL over the
   * pool: every audited action of every service passes here, and Prisma's per-query work
   * was most of its cost.
   */
  async append(event: AuditEventJob): Promise<'appended' | 'duplicate'> {
    const chain = chainOf(event.companyId);
    return this.sql.$transaction(async (tx) => {
      const [head] = await tx.$queryRawUnsafe<Array<{ seq: string; hash: string }>>(
        `INSERT INTO "authorizations"."audit_heads" (chain, seq, hash) VALUES ($1, 0, $2)
         ON CONFLICT (chain) DO UPDATE SET chain = EXCLUDED.chain RETURNING seq, hash`,
        chain,
        GENESIS_HASH,
      );
      const fields: ChainedFields = {
        chain,
        seq: Number(head.seq) + 1,
        eventId: event.eventId,
        occurredAt: new Date(event.occurredAt).toISOString(),
        actor: event.actor,
        action: event.action,
        targetType: event.targetType,
        targetId: event.targetId ?? null,
        sourceIp: event.sourceIp ?? null,
        requestId: event.requestId ?? null,
        before: event.before ?? null,
        after: event.after ?? null,
        details: event.details ?? null,
      };
      const hash = chainHash(head.hash, fields);
      const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
      const inserted = await tx.$executeRawUnsafe(
        `INSERT INTO "authorizations"."audit_entries"
           (chain, seq, event_id, occurred_at, actor, action, target_type, target_id, source_ip, request_id, before, after, details, prev_hash, hash)
         VALUES ($1, $2::bigint, $3::uuid, $4::timestamptz, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13::jsonb, $14, $15)
         ON CONFLICT (event_id) DO NOTHING`,
        chain,
        fields.seq,
        fields.eventId,
        fields.occurredAt,
        fields.actor,
        fields.action,
        fields.targetType,
        fields.targetId,
        fields.sourceIp,
        fields.requestId,
        json(fields.before),
        json(fields.after),
        json(fields.details),
        head.hash,
        hash,
      );
      if (inserted === 0) return 'duplicate';
      await tx.$executeRawUnsafe(
        `UPDATE "authorizations"."audit_heads" SET seq = $2::bigint, hash = $3, updated_at = now() WHERE chain = $1`,
        chain,
        fields.seq,
        hash,
      );
      return 'appended';
    });
  }

  async page(chain: string, skip: number, take: number, filter: AuditFilter = {}): Promise<[StoredEntry[], number]> {
    const { action, actor, about, from, to } = filter;
    const where: Prisma.AuditEntryWhereInput = {
      chain,
      ...(action ? { action } : {}),
      ...(actor ? { actor } : {}),
      ...(about?.length ? { OR: [{ targetId: { in: about } }, { actor: { in: about.map((id) => `user:${id}`) } }] } : {}),
      ...(from || to ? { occurredAt: { ...(from ? { gte: new Date(from) } : {}), ...(to ? { lt: new Date(to) } : {}) } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.auditEntry.findMany({ where, orderBy: { seq: 'desc' }, skip, take }),
      this.prisma.auditEntry.count({ where }),
    ]);
    return [rows.map(toStored), total];
  }

  /** Reads a whole chain in order, page by page (never all of it in memory). */
  async *walk(chain: string, pageSize = 1000): AsyncGenerator<StoredEntry> {
    let after = BigInt(0);
    for (;;) {
      const rows = await this.prisma.auditEntry.findMany({ where: { chain, seq: { gt: after } }, orderBy: { seq: 'asc' }, take: pageSize });
      for (const row of rows) yield toStored(row);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].seq;
    }
  }

  async head(chain: string): Promise<{ seq: number; hash: string } | null> {
    const head = await this.prisma.auditHead.findUnique({ where: { chain } });
    return head ? { seq: Number(head.seq), hash: head.hash } : null;
  }
}
