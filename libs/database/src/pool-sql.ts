import type { Pool, PoolClient } from 'pg';

/**
 * The raw-SQL surface of a Prisma client (`$queryRawUnsafe`, `$executeRawUnsafe`,
 * `$transaction`) straight over a pg pool, for background loops that run plain SQL all
 * day (the outbox relays): they skip Prisma's per-query work and its interactive
 * transaction bookkeeping. Values come back as pg parses them (timestamptz → Date,
 * json → objects, bigint → string).
 */
export class PoolSql {
  /** `db` is the pool itself, or the connection of the transaction this instance runs in. */
  constructor(
    private readonly pool: Pool,
    private readonly db: Pick<PoolClient, 'query'> = pool,
  ) {}

  async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
    return (await this.db.query(query, values)).rows as T;
  }

  async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
    return (await this.db.query(query, values)).rowCount ?? 0;
  }

  async $transaction<T>(fn: (tx: PoolSql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new PoolSql(this.pool, client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot roll back is broken: it is destroyed, not returned to the pool.
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
