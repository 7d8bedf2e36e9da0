// Applies prisma/migrations without Prisma's native schema engine (it cannot be downloaded
// offline), keeping the exact bookkeeping of `prisma migrate deploy`: same folder layout,
// same `_prisma_migrations` table and rows, same advisory lock key. Either tool can take
// over a database the other one migrated.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';

export interface MigrateOptions {
  databaseUrl: string;
  /** Defaults to `<repo>/prisma/migrations`. */
  migrationsDir?: string;
  log?: (msg: string) => void;
}

export interface MigrateResult {
  /** Names of the migrations applied by this call, in order. */
  applied: string[];
}

export type MigrationErrorCode = 'FAILED_MIGRATION' | 'EDITED_MIGRATION' | 'MIGRATION_FAILED' | 'INVALID_MIGRATIONS_DIR';

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly migrationName?: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

// Prisma's own key (schema engine, postgres flavour): `prisma migrate deploy` and this
// migrator therefore exclude each other too, not only two copies of this one.
const ADVISORY_LOCK_KEY = 72707369;

const MIGRATIONS_TABLE = '_prisma_migrations';

interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
}

export async function migrate(opts: MigrateOptions): Promise<MigrateResult> {
  const log = opts.log ?? (() => undefined);
  const migrationsDir = opts.migrationsDir ?? path.join(findRepoRoot(__dirname), 'prisma', 'migrations');
  const local = readLocalMigrations(migrationsDir);
  const table = `${quoteIdent(migrationsTableSchema(opts.databaseUrl))}.${quoteIdent(MIGRATIONS_TABLE)}`;

  const client = new Client({ connectionString: opts.databaseUrl });
  await client.connect();
  try {
    // Session-level lock held for the whole run: a second process waits here, then sees
    // every migration finished and does nothing.
    const tried = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [ADVISORY_LOCK_KEY]);
    if (!tried.rows[0].locked) {
      log('another migration run holds the lock, waiting for it to finish');
      await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    }
    try {
      await ensureMigrationsTable(client, table);
      return { applied: await applyPending(client, table, local, log) };
    } finally {
      // Closing the session releases it anyway: never hide the real error behind this one.
      await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(client: Client, table: string, local: LocalMigration[], log: (msg: string) => void): Promise<string[]> {
  const rows = (await client.query<MigrationRow>(`SELECT * FROM ${table} ORDER BY started_at ASC`)).rows;

  // Same rule as Prisma (P3009): a started, unfinished and not rolled back migration
  // blocks everything until someone decides what state the database is in.
  const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed.length > 0) {
    const name = failed[0].migration_name;
    throw new MigrationError(
      'FAILED_MIGRATION',
      `Migration "${name}" failed (started ${failed[0].started_at.toISOString()}) and is recorded as unfinished in ${MIGRATIONS_TABLE}: ` +
        'no new migration will be applied until it is resolved (Prisma error P3009). ' +
        'Each migration runs in a transaction here, so its changes were rolled back: fix its migration.sql, then mark it rolled back with ' +
        `\`npx prisma migrate resolve --rolled-back ${name}\` or, without the Prisma engine, ` +
        `\`UPDATE ${table} SET rolled_back_at = now() WHERE migration_name = '${name}' AND finished_at IS NULL\`, and migrate again. ` +
        (failed[0].logs ? `Recorded error: ${failed[0].logs}` : ''),
      name,
    );
  }

  const finished = new Map<string, MigrationRow>();
  for (const row of rows) {
    if (row.finished_at !== null && row.rolled_back_at === null) finished.set(row.migration_name, row);
  }

  for (const migration of local) {
    const row = finished.get(migration.name);
    if (row && !checksumMatches(row.checksum, migration.sql)) {
      throw new MigrationError(
        'EDITED_MIGRATION',
        `Migration "${migration.name}" was edited after it was applied: its migration.sql checksum is ${migration.checksum}, ` +
          `${MIGRATIONS_TABLE} recorded ${row.checksum}. Restore the original file and put the change in a new migration.`,
        migration.name,
      );
    }
  }
  const localNames = new Set(local.map((m) => m.name));
  for (const name of finished.keys()) {
    if (!localNames.has(name)) log(`warning: migration ${name} is applied to the database but missing from the migrations folder`);
  }

  const applied: string[] = [];
  for (const migration of local) {
    if (finished.has(migration.name)) continue;
    await applyOne(client, table, migration);
    applied.push(migration.name);
    log(`applied migration ${migration.name}`);
  }
  return applied;
}

async function applyOne(client: Client, table: string, migration: LocalMigration): Promise<void> {
  const id = randomUUID();
  // Recorded before and outside the transaction, as Prisma does: if the process dies or the
  // SQL fails, the row stays unfinished and the next run stops on it instead of guessing.
  await client.query(`INSERT INTO ${table} (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`, [
    id,
    migration.checksum,
    migration.name,
  ]);
  try {
    await client.query('BEGIN');
    // One simple-protocol query holding the whole script, like the native engine sends it
    // (so statements that cannot run inside a transaction block are not allowed either).
    await client.query(migration.sql);
    await client.query(`UPDATE ${table} SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    const message = err instanceof Error ? err.message : String(err);
    await client.query(`UPDATE ${table} SET logs = $2 WHERE id = $1`, [id, message]).catch(() => undefined);
    throw new MigrationError('MIGRATION_FAILED', `Migration "${migration.name}" failed and was rolled back: ${message}`, migration.name);
  }
}

async function ensureMigrationsTable(client: Client, table: string): Promise<void> {
  // Prisma's DDL (schema engine, postgres flavour), only schema-qualified.
  await client.query(`CREATE TABLE IF NOT EXISTS ${table} (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`);
}

function readLocalMigrations(migrationsDir: string): LocalMigration[] {
  if (!existsSync(migrationsDir)) {
    throw new MigrationError('INVALID_MIGRATIONS_DIR', `Migrations folder ${migrationsDir} does not exist`);
  }
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  if (existsSync(lockPath)) {
    const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockPath, 'utf8'))?.[1];
    if (provider !== undefined && provider !== 'postgresql') {
      throw new MigrationError('INVALID_MIGRATIONS_DIR', `${lockPath} is for provider "${provider}", not postgresql`);
    }
  }
  // Prisma orders migrations by folder name, hence the timestamp prefix.
  const names = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return names.map((name) => {
    const file = path.join(migrationsDir, name, 'migration.sql');
    if (!existsSync(file)) throw new MigrationError('INVALID_MIGRATIONS_DIR', `Migration folder ${name} has no migration.sql`, name);
    const bytes = readFileSync(file);
    return { name, sql: bytes.toString('utf8'), checksum: sha256(bytes) };
  });
}

// Prisma also accepts the checksum of the file with CRLF turned into LF (a Windows
// checkout with autocrlf must not look edited).
function checksumMatches(recorded: string, sql: string): boolean {
  return recorded === sha256(sql) || recorded === sha256(sql.replace(/\r\n/g, '\n'));
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

// Like Prisma, `?schema=` in the URL chooses where the bookkeeping table lives.
function migrationsTableSchema(databaseUrl: string): string {
  try {
    return new URL(databaseUrl).searchParams.get('schema') || 'public';
  } catch {
    return 'public';
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The folder holding prisma/schema.prisma, from sources (libs/...) or from dist/libs/... */
export function findRepoRoot(from: string): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No prisma/schema.prisma found in ${from} or any parent folder`);
    dir = parent;
  }
}
