import { Logger } from '@nestjs/common';
import { JobContract, JobMeta, QueueName } from '@procura/contracts';
import { requestContext } from '@procura/logging';
import { randomUUID } from 'node:crypto';
import { QueueRegistry } from './queue-registry';

/** The part of a Prisma client (or interactive transaction) the outbox needs. */
export interface SqlExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
}

export interface TransactionalSql extends SqlExecutor {
  $transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** Schemas that own an `outbox` table (see prisma/schema.prisma). */
export type OutboxSchema = 'identity' | 'authorizations' | 'reporting';

interface OutboxRow {
  id: string;
  queue: QueueName;
  job_name: string;
  job_id: string;
  payload: Record<string, unknown> & { meta?: OutboxJobMeta };
  created_at: Date;
}

type OutboxJobMeta = JobMeta & { delayMs?: number };

/**
 * Transactional outbox: a job is written in the same database transaction as the change
 * that causes it, then relayed to BullMQ. A crash between the commit and the enqueue
 * loses nothing (the row waits); a crash after the enqueue but before the row is marked
 * re-adds the job with the same id, which BullMQ ignores.
 */
export class Outbox {
  constructor(private readonly schema: OutboxSchema) {}

  /**
   * Call inside the business transaction. `jobId` derives from the business event.
   * `delayMs` counts from the commit (e.g. the expiry of a change request).
   */
  async add<T>(tx: SqlExecutor, job: JobContract<T>, jobId: string, data: T, options: { delayMs?: number } = {}): Promise<void> {
    const meta: OutboxJobMeta = { requestId: requestContext.requestId(), ...(options.delayMs ? { delayMs: options.delayMs } : {}) };
    await tx.$executeRawUnsafe(
      `INSERT INTO "${this.schema}"."outbox" (id, queue, job_name, job_id, payload) VALUES ($1::uuid, $2, $3, $4, $5::jsonb) ON CONFLICT (job_id) DO NOTHING`,
      randomUUID(),
      job.queue,
      job.name,
      bullJobId(jobId),
      JSON.stringify({ ...data, meta }),
    );
  }
}

/**
 * BullMQ refuses custom job ids containing ':' (its own repeat-job ids use them), and
 * the relay adds rows in bulk, so one bad id would block every row queued with it.
 * Business keys such as `welcome:<id>` are therefore stored with '.' instead.
 */
export function bullJobId(jobId: string): string {
  return jobId.replace(/:/g, '.');
}

/** An outbox row as a local sink receives it: the job's data, as written. */
export interface OutboxJobRow {
  jobName: string;
  jobId: string;
  data: Record<string, unknown>;
}

/**
 * Takes the rows of one queue inside the relay's transaction instead of sending them to
 * BullMQ: for work the relaying process does itself (the authorizations service appends
 * its own audit events), where a job would be a round trip through Redis to itself.
 * Exactly once: the rows are marked dispatched in the same transaction.
 */
export type OutboxLocalSink = (tx: SqlExecutor, rows: OutboxJobRow[]) => Promise<void>;

/** How often a relay removes dispatched rows past their retention. */
const PURGE_EVERY_MS = 10 * 60_000;
/** Rows removed per purge statement: a backlog is worked off over several rounds, never in one long delete. */
const PURGE_BATCH = 5000;

/**
 * Moves committed outbox rows to BullMQ; safe with several replicas (SKIP LOCKED). A
 * dispatched row is kept for `retentionMs` (a duplicate of its event within that window
 * is still ignored by the job_id key), then removed, so the table does not grow with
 * every sign-in for ever.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private again = false;
  private stopped = false;
  private lastPurgeAt = 0;
  private readonly batchSize: number;
  private readonly retentionMs: number;

  constructor(
    private readonly db: TransactionalSql,
    private readonly queues: QueueRegistry,
    private readonly schema: OutboxSchema,
    private readonly pollMs: number,
    options: { batchSize?: number; retentionMs?: number; localSinks?: Partial<Record<QueueName, OutboxLocalSink>> } = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.retentionMs = options.retentionMs ?? 7 * 24 * 3600_000;
    this.localSinks = options.localSinks ?? {};
  }

  private readonly localSinks: Partial<Record<QueueName, OutboxLocalSink>>;

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Relays right away (called after a commit that wrote outbox rows) instead of at the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Relays one batch; returns how many jobs were handed to BullMQ. */
  async relayOnce(): Promise<number> {
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
        `SELECT id, queue, job_name, job_id, payload, created_at FROM "${this.schema}"."outbox"
          WHERE dispatched_at IS NULL ORDER BY created_at LIMIT ${this.batchSize} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return 0;
      const byQueue = new Map<QueueName, OutboxRow[]>();
      for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
      for (const [queue, queueRows] of byQueue) {
        const sink = this.localSinks[queue];
        if (sink) {
          await sink(
            tx,
            queueRows.map((r) => ({ jobName: r.job_name, jobId: r.job_id, data: r.payload })),
          );
          continue;
        }
        await this.queues.get(queue).addBulk(
          queueRows.map((r) => {
            const delayMs = r.payload.meta?.delayMs;
            const delay = delayMs ? Math.max(0, r.created_at.getTime() + delayMs - Date.now()) : undefined;
            return { name: r.job_name, data: r.payload, opts: { jobId: r.job_id, ...(delay ? { delay } : {}) } };
          }),
        );
      }
      await tx.$executeRawUnsafe(
        `UPDATE "${this.schema}"."outbox" SET dispatched_at = now() WHERE id = ANY($1::uuid[])`,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
  }

  /** Removes up to PURGE_BATCH dispatched rows older than the retention; returns how many. */
  async purgeOnce(): Promise<number> {
    return this.db.$executeRawUnsafe(
      `DELETE FROM "${this.schema}"."outbox" WHERE id IN (
         SELECT id FROM "${this.schema}"."outbox" WHERE dispatched_at < now() - $1::float8 * interval '1 millisecond' LIMIT ${PURGE_BATCH})`,
      this.retentionMs,
    );
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    let relayed = 0;
    this.running = this.relayOnce();
    try {
      relayed = await this.running;
    } catch (error) {
      // Redis or PostgreSQL unreachable: the rows stay, the next poll retries.
      this.logger.warn(`outbox relay failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = undefined;
    }
    if (this.stopped) return;
    if (Date.now() - this.lastPurgeAt >= PURGE_EVERY_MS) {
      this.lastPurgeAt = Date.now();
      const purged = await this.purgeOnce().catch((error: unknown) => {
        this.logger.warn(`outbox purge failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      });
      // A full batch means a backlog: come back sooner than the next round.
      if (purged === PURGE_BATCH) this.lastPurgeAt -= PURGE_EVERY_MS - 1000;
    }
    if (this.stopped) return;
    const more = relayed === this.batchSize || this.again;
    this.again = false;
    this.schedule(more ? 0 : this.pollMs);
  }
}
