import { Injectable } from '@nestjs/common';
import { AuditEventJob } from '@procura/contracts';
import { AuditEntry, PrismaService } from '@procura/database';
import { ChainedFields, chainHash, GENESIS_HASH } from './audit-chain';

export type StoredEntry = ChainedFields & { prevHash: string; hash: string };

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
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Appends one event at the end of its company's chain. The chain head row is locked
   * for the transaction, so concurrent appends to one chain are serialised; an event
   * already recorded (a retried job) is not appended twice.
   */
  async append(event: AuditEventJob): Promise<'appended' | 'duplicate'> {
    const chain = chainOf(event.companyId);
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO "authorizations"."audit_heads" (chain, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING`,
        chain,
        GENESIS_HASH,
      );
      const [head] = await tx.$queryRawUnsafe<Array<{ seq: bigint; hash: string }>>(
        `SELECT seq, hash FROM "authorizations"."audit_heads" WHERE chain = $1 FOR UPDATE`,
        chain,
      );
      const exists = await tx.auditEntry.findUnique({ where: { eventId: event.eventId }, select: { seq: true } });
      if (exists) return 'duplicate';
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
      await tx.auditEntry.create({
        data: {
          ...fields,
          seq: BigInt(fields.seq),
          occurredAt: new Date(fields.occurredAt),
          before: fields.before ?? undefined,
          after: fields.after ?? undefined,
          details: fields.details ?? undefined,
          prevHash: head.hash,
          hash,
        } as never,
      });
      await tx.auditHead.update({ where: { chain }, data: { seq: BigInt(fields.seq), hash } });
      return 'appended';
    });
  }

  async page(chain: string, skip: number, take: number, action?: string): Promise<[StoredEntry[], number]> {
    const where = { chain, ...(action ? { action } : {}) };
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
