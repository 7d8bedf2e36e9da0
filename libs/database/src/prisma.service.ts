import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { AppConfig } from '@procura/config';
import { Pool } from 'pg';
import { PrismaClient } from './generated/client';

/**
 * Defaults of every interactive transaction (a repository may set its own). Prisma's (2 s
 * to get a connection, 5 s in all) turned a busy minute into 500s: on a loaded machine
 * ordinary transactions took longer, and Prisma then rolled them back under the running
 * code. Past these, the failure is a 503 (see libs/errors dependencyUnavailable).
 */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/**
 * The Prisma client of one service process (Prisma 7, Rust-free, through the `pg`
 * driver adapter). Repositories wrap it; each service's repositories touch only the
 * models of its own PostgreSQL schema (checked by test/integration/schema-ownership.spec.ts).
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);
  /**
   * The connection pool Prisma itself uses, for the few hot statements where Prisma's own
   * per-query work showed in a profile: the sign-in lookup and session insert, the
   * notifications sent-log, the audit append and the outbox relays (through PoolSql).
   * Everything else goes through Prisma.
   */
  readonly pool: Pool;

  constructor(config: AppConfig) {
    const pool = new Pool({ connectionString: config.databaseUrl, max: 10, connectionTimeoutMillis: 5000 });
    super({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), transactionOptions: TRANSACTION_OPTIONS });
    this.pool = pool;
    // An idle connection dropped by the server must not crash the process (Prisma adds its own listener only once connected).
    pool.on('error', (error: Error) => this.logger.warn(`idle PostgreSQL connection lost: ${error.message}`));
    // pg-pool listens for errors only while a client is idle: a connection lost while checked
    // out (a transaction in progress when PostgreSQL stops) emitted 'error' with no listener
    // and killed the process (found by the soak). Its queries fail, and the pool drops it.
    pool.on('connect', (client) =>
      client.on('error', (error: Error) => this.logger.warn(`PostgreSQL connection lost while in use: ${error.message}`)),
    );
  }

  /** Fails at boot, not at the first request, when PostgreSQL is unreachable. */
  async onModuleInit(): Promise<void> {
    try {
      await this.$queryRawUnsafe('SELECT 1');
    } catch (error) {
      this.logger.error(`cannot reach PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  /**
   * Last of the shutdown hooks: job workers and outbox relays stop in
   * beforeApplicationShutdown and may still need the database until then.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
