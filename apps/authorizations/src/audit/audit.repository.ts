import { Injectable } from '@nestjs/common';
import { AuditEventJob } from '@procura/contracts';
import { AuditEntry, PoolSql, Prisma, PrismaService } from '@procura/database';
import type { SqlExecutor } from '@procura/messaging';
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
   * Appends one event at the end of its company's chain, in its own transaction (the
   * audit jobs of the other services). An event already recorded (a retried job) is not
   * appended twice.
   */
  async append(event: AuditEventJob): Promise<'appended' | 'duplicate'> {
    return (await this.sql.$transaction((tx) => this.appendMany(tx, [event]))) === 1 ? 'appended' : 'duplicate';
  }

  /**
   * Appends events at the end of their chains inside the caller's transaction; returns how
   * many were new. Per chain, the head row is locked for the transaction (the upsert
   * creates it for a new chain and locks it either way), so concurrent appends to one
   * chain are serialised; events already recorded are left out; the new ones go in with
   * one statement and the head moves once. Chains are taken in name order, so two
   * appenders never wait for each other in a circle. Plain SQL: every audited action of
   * every service passes here.
   */
  async appendMany(tx: SqlExecutor, events: AuditEventJob[]): Promise<number> {
    const byChain = new Map<string, AuditEventJob[]>();
    for (const event of events) byChain.set(chainOf(event.companyId), [...(byChain.get(chainOf(event.companyId)) ?? []), event]);
    let appended = 0;
    for (const chain of [...byChain.keys()].sort()) {
      const [head] = await tx.$queryRawUnsafe<Array<{ seq: string; hash: string }>>(
        `INSERT INTO "authorizations"."audit_heads" (chain, seq, hash) VALUES ($1, 0, $2)
         ON CONFLICT (chain) DO UPDATE SET chain = EXCLUDED.chain RETURNING seq, hash`,
        chain,
        GENESIS_HASH,
      );
      const candidates = byChain.get(chain)!;
      const known = new Set(
        (
          await tx.$queryRawUnsafe<Array<{ event_id: string }>>(
            `SELECT event_id::text FROM "authorizations"."audit_entries" WHERE event_id = ANY($1::uuid[])`,
            candidates.map((e) => e.eventId),
          )
        ).map((r) => r.event_id),
      );
      let seq = Number(head.seq);
      let hash = head.hash;
      const rows: unknown[][] = [];
      for (const event of candidates) {
        if (known.has(event.eventId)) continue;
        known.add(event.eventId);
        const fields: ChainedFields = {
          chain,
          seq: ++seq,
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
        const prevHash = hash;
        hash = chainHash(prevHash, fields);
        const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
        rows.push([
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
          prevHash,
          hash,
        ]);
      }
      if (rows.length === 0) continue;
      const types = ['', '::bigint', '::uuid', '::timestamptz', '', '', '', '', '', '', '::jsonb', '::jsonb', '::jsonb', '', ''];
      const values = rows.map((_, r) => `(${types.map((type, c) => `$${r * types.length + c + 1}${type}`).join(', ')})`).join(', ');
      await tx.$executeRawUnsafe(
        `INSERT INTO "authorizations"."audit_entries"
           (chain, seq, event_id, occurred_at, actor, action, target_type, target_id, source_ip, request_id, before, after, details, prev_hash, hash)
         VALUES ${values}`,
        ...rows.flat(),
      );
      await tx.$executeRawUnsafe(
        `UPDATE "authorizations"."audit_heads" SET seq = $2::bigint, hash = $3, updated_at = now() WHERE chain = $1`,
        chain,
        seq,
        hash,
      );
      appended += rows.length;
    }
    return appended;
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
