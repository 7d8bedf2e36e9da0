import type { Pool, PoolClient } from 'pg';

/**
 * The raw-SQL surface of a Prisma client (`$queryRawUnsafe`, `$executeRawUnsafe`,
 * `$transaction`) straight over a pg pool, for background loops that run plain SQL all
 * day (the outbox relays): they skip Prisma's per-query work and its interactive
 * transaction bookkeeping. Values come back as pg parses them (timestamptz → Date,
 * json → objects, bigint → string).
 */
export class PoolSql {
  constructor(private readonly pool: Pool) {}

  async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
    return (await this.pool.query(query, values)).rows as T;
  }

  async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
    return (await this.pool.query(query, values)).rowCount ?? 0;
  }

  async $transaction<T>(fn: (tx: PoolSql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let released = false;
    try {
      await client.query('BEGIN');
      const result = await fn(new PoolSql(client as unknown as Pool));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        // A connection that cannot roll back is broken: destroy it rather than return it to the pool.
        (client as PoolClient).release(rollbackError);
        released = true;
      });
      throw error;
    } finally {
      if (!released) client.release();
    }
  }
}
