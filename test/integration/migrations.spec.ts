import { migrate } from '../../libs/database/src/migrations';
import { withPgClient } from '../../libs/testing/src/scratch-database';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const root = resolve(__dirname, '..', '..');
const migrationsDir = join(root, 'prisma', 'migrations');
const compiledCli = join(root, 'dist', 'libs', 'database', 'src', 'migrations', 'migrate.cli.js');
const migrationNames = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

/** Fresh databases on the test server (PG_ADMIN_URL, set by the global setup), dropped afterwards. */
class ScratchDatabases {
  private readonly names: string[] = [];

  async create(): Promise<string> {
    const name = `scratch_${randomBytes(6).toString('hex')}`;
    await this.admin((c) => c.query(`CREATE DATABASE ${name}`));
    this.names.push(name);
    const url = new URL(adminUrl());
    url.pathname = `/${name}`;
    return url.toString();
  }

  async dropAll(): Promise<void> {
    for (const name of this.names.splice(0)) await this.admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }

  private async admin(work: (c: Client) => Promise<unknown>): Promise<void> {
    await withPgClient(adminUrl(), work);
  }
}

function adminUrl(): string {
  const url = process.env.PG_ADMIN_URL;
  if (!url) throw new Error('PG_ADMIN_URL is not set: integration tests run under the Jest global setup (embedded PostgreSQL)');
  return url;
}

const bookkeeping = (url: string): Promise<MigrationRow[]> =>
  withPgClient(url, async (c) => (await c.query<MigrationRow>('SELECT * FROM public._prisma_migrations ORDER BY migration_name')).rows);

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every migration folder recorded exactly once, finished, with Prisma's bookkeeping values. */
function expectFullyMigrated(rows: MigrationRow[]): void {
  expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
  for (const row of rows) {
    expect(row).toMatchObject({ logs: null, rolled_back_at: null, applied_steps_count: 1 });
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    expect(row.checksum).toBe(sha256File(join(migrationsDir, row.migration_name, 'migration.sql')));
  }
}

function copyMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'procura-migrations-'));
  cpSync(migrationsDir, dir, { recursive: true });
  return dir;
}

describe('migrate()', () => {
  const scratch = new ScratchDatabases();
  const tempDirs: string[] = [];

  afterAll(async () => {
    await scratch.dropAll();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('applies each migration once when two runs start at the same moment, then has nothing to do', async () => {
    const url = await scratch.create();
    const logs: string[] = [];
    const log = (msg: string): number => logs.push(msg);
    // Each call opens its own connection: the advisory lock is what serializes them.
    const [first, second] = await Promise.all([migrate({ databaseUrl: url, log }), migrate({ databaseUrl: url, log })]);

    expect([...first.applied, ...second.applied].sort()).toEqual(migrationNames);
    expect([first.applied, second.applied]).toContainEqual([]);
    expect(logs.filter((m) => m.startsWith('applied migration'))).toEqual(migrationNames.map((n) => `applied migration ${n}`));
    expectFullyMigrated(await bookkeeping(url));

    const again = await migrate({ databaseUrl: url });
    expect(again.applied).toEqual([]);
    expect(await bookkeeping(url)).toHaveLength(migrationNames.length);
  });

  it('creates _prisma_migrations with the columns Prisma creates', async () => {
    const url = await scratch.create();
    await migrate({ databaseUrl: url });
    const columns = await withPgClient(
      url,
      async (c) =>
        (
          await c.query<{ column_name: string; type: string; nullable: boolean; default: string | null }>(
            `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
                  pg_get_expr(d.adbin, d.adrelid) AS default
             FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = 'public._prisma_migrations'::regclass AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum`,
          )
        ).rows,
    );
    expect(columns).toEqual([
      { column_name: 'id', type: 'character varying(36)', nullable: false, default: null },
      { column_name: 'checksum', type: 'character varying(64)', nullable: false, default: null },
      { column_name: 'finished_at', type: 'timestamp with time zone', nullable: true, default: null },
      { column_name: 'migration_name', type: 'character varying(255)', nullable: false, default: null },
      { column_name: 'logs', type: 'text', nullable: true, default: null },
      { column_name: 'rolled_back_at', type: 'timestamp with time zone', nullable: true, default: null },
      { column_name: 'started_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
      { column_name: 'applied_steps_count', type: 'integer', nullable: false, default: '0' },
    ]);
  });

  it('gives every existing user a person of their own, with their e-mail (one person, several companies)', async () => {
    const url = await scratch.create();
    const dir = copyMigrations();
    tempDirs.push(dir);
    const persons = '20261203090000_persons';
    const later = migrationNames.filter((name) => name >= persons);
    for (const name of later) rmSync(join(dir, name), { recursive: true });
    await migrate({ databaseUrl: url, migrationsDir: dir });
    await withPgClient(url, async (c) => {
      await c.query(`INSERT INTO identity.operator_organisations (id, name, kind) VALUES (gen_random_uuid(), 'Agence', 'BANK_BRANCH')`);
      await c.query(`INSERT INTO identity.operators (id, organisation_id, name, email, role)
                     SELECT gen_random_uuid(), id, 'Conseil', 'conseil@migration.example', 'SUPERVISOR' FROM identity.operator_organisations`);
      await c.query(`INSERT INTO identity.companies (id, name, registration_number, billing_mode, pricing_offer, managed_by, organisation_id)
                     SELECT gen_random_uuid(), 'Avant', '123456789', 'CLIENT', 'X', id, organisation_id FROM identity.operators`);
      await c.query(`INSERT INTO identity.users (id, company_id, last_name, first_name, birth_date, email, client_type)
                     SELECT gen_random_uuid(), id, 'Durand', n, '1980-01-01', lower(n) || '.durand@migration.example', 'STANDARD'
                       FROM identity.companies, unnest(ARRAY['Ana', 'Eli']) AS n`);
    });
    cpSync(join(migrationsDir, persons), join(dir, persons), { recursive: true });
    await migrate({ databaseUrl: url, migrationsDir: dir });
    await withPgClient(url, async (c) => {
      const rows = await c.query<{ email: string; person_email: string }>(
        `SELECT u.email, p.email AS person_email FROM identity.users u JOIN identity.persons p ON p.id = u.person_id ORDER BY u.email`,
      );
      expect(rows.rows).toEqual([
        { email: 'ana.durand@migration.example', person_email: 'ana.durand@migration.example' },
        { email: 'eli.durand@migration.example', person_email: 'eli.durand@migration.example' },
      ]);
      const distinct = await c.query<{ n: string }>(`SELECT count(DISTINCT person_id) AS n FROM identity.users`);
      expect(distinct.rows[0].n).toBe('2');
    });
  });

  it('seeds the service catalog', async () => {
    const url = await scratch.create();
    await migrate({ databaseUrl: url });
    await withPgClient(url, async (c) => {
      const services = await c.query<{ code: string }>('SELECT code FROM authorizations.catalog_services ORDER BY position');
      expect(services.rows.map((r) => r.code)).toEqual(['EINVOICING', 'BANKING', 'ACCOUNTING_PORTAL', 'EDI', 'REPORTS']);

      const rights = await c.query<{ code: string; resource_scope: string }>(
        `SELECT code, resource_scope FROM authorizations.catalog_rights WHERE service_code = 'EINVOICING' ORDER BY position`,
      );
      expect(rights.rows.map((r) => r.code)).toEqual([
        'SUBSCRIPTION',
        'SUPPLIER_INVOICE_APPROVAL',
        'COUNTERPARTIES',
        'SUPPLIER_INVOICING',
        'CUSTOMER_INVOICING',
        'INVOICE_ASSIGNMENT',
        'SINGLE_ENTRY_POINT',
      ]);
      expect(new Set(rights.rows.map((r) => r.resource_scope))).toEqual(new Set(['NONE']));

      const levels = await c.query<{ code: string; rank: number }>(
        `SELECT code, rank FROM authorizations.catalog_levels WHERE service_code = 'EINVOICING' ORDER BY rank`,
      );
      expect(levels.rows).toEqual([
        { code: 'CONSULT', rank: 10 },
        { code: 'CONSULT_ENTER_VALIDATE', rank: 30 },
      ]);

      const banking = await c.query<{ resource_scope: string }>(
        `SELECT DISTINCT resource_scope FROM authorizations.catalog_rights WHERE service_code = 'BANKING'`,
      );
      expect(banking.rows).toEqual([{ resource_scope: 'ACCOUNTS_AND_CONTRACTS' }]);

      const families = await c.query<{ family: string; n: number }>(
        `SELECT family, count(*)::int AS n FROM authorizations.catalog_rights WHERE service_code = 'ACCOUNTING_PORTAL' GROUP BY family ORDER BY family`,
      );
      expect(families.rows).toEqual([
        { family: 'CONSULTATION', n: 3 },
        { family: 'PRODUCTION', n: 3 },
      ]);

      const apostrophe = await c.query<{ label_fr: string }>(
        `SELECT label_fr FROM authorizations.catalog_rights WHERE code = 'SINGLE_ENTRY_POINT'`,
      );
      expect(apostrophe.rows[0].label_fr).toBe("Point d'entrée unique");

      const access = await c.query<{ service_code: string }>(
        `SELECT service_code FROM authorizations.catalog_levels WHERE code = 'ACCESS' AND rank = 10 ORDER BY service_code`,
      );
      expect(access.rows.map((r) => r.service_code)).toEqual(['ACCOUNTING_PORTAL', 'BANKING', 'EDI', 'REPORTS']);
    });
  });

  it('refuses a migration edited after it was applied', async () => {
    const url = await scratch.create();
    const dir = copyMigrations();
    tempDirs.push(dir);
    await migrate({ databaseUrl: url, migrationsDir: dir });

    appendFileSync(join(dir, migrationNames[0], 'migration.sql'), '\n-- edited afterwards\n');
    await expect(migrate({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(
      new RegExp(`Migration "${migrationNames[0]}" was edited after it was applied`),
    );

    // A CRLF checkout of the same content is not an edit (Prisma accepts it too).
    const file = join(dir, migrationNames[1], 'migration.sql');
    cpSync(join(migrationsDir, migrationNames[0], 'migration.sql'), join(dir, migrationNames[0], 'migration.sql'));
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    await expect(migrate({ databaseUrl: url, migrationsDir: dir })).resolves.toEqual({ applied: [] });
  });

  it('records a failing migration, rolls it back, and blocks later runs until it is resolved', async () => {
    const url = await scratch.create();
    const dir = copyMigrations();
    tempDirs.push(dir);
    const broken = '20991231000000_broken';
    mkdirSync(join(dir, broken));
    writeFileSync(
      join(dir, broken, 'migration.sql'),
      'CREATE TABLE identity.half_done (id INTEGER);\nSELECT no_such_column FROM identity.users;\n',
    );

    await expect(migrate({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(
      /Migration "20991231000000_broken" failed and was rolled back: .*no_such_column/,
    );
    const failed = (await bookkeeping(url)).find((r) => r.migration_name === broken)!;
    expect(failed).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(failed.logs).toMatch(/no_such_column/);
    const halfDone = await withPgClient(url, async (c) => (await c.query(`SELECT to_regclass('identity.half_done') AS t`)).rows[0].t);
    expect(halfDone).toBeNull();

    // Like Prisma's P3009: nothing runs until someone resolves the failed migration.
    await expect(migrate({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(
      /Migration "20991231000000_broken" failed .*migrate resolve --rolled-back 20991231000000_broken/,
    );

    writeFileSync(join(dir, broken, 'migration.sql'), 'CREATE TABLE identity.half_done (id INTEGER);\n');
    await withPgClient(url, (c) =>
      c.query(`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1 AND finished_at IS NULL`, [broken]),
    );
    await expect(migrate({ databaseUrl: url, migrationsDir: dir })).resolves.toEqual({ applied: [broken] });
    const rows = (await bookkeeping(url)).filter((r) => r.migration_name === broken);
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null)).toHaveLength(1);
  });

  it('keeps the bookkeeping table where ?schema= says, as Prisma does', async () => {
    const url = new URL(await scratch.create());
    await withPgClient(url.toString(), (c) => c.query('CREATE SCHEMA ops'));
    url.searchParams.set('schema', 'ops');
    await migrate({ databaseUrl: url.toString() });
    const where = await withPgClient(
      url.toString(),
      async (c) =>
        (
          await c.query<{ table_schema: string }>(
            `SELECT table_schema FROM information_schema.tables WHERE table_name = '_prisma_migrations'`,
          )
        ).rows,
    );
    expect(where).toEqual([{ table_schema: 'ops' }]);
  });

  const withCompiledCli = existsSync(compiledCli) ? it : it.skip;
  withCompiledCli('works as two real processes of the compiled CLI started together', async () => {
    const url = await scratch.create();
    const run = (): Promise<{ stdout: string; stderr: string }> =>
      promisify(execFile)(process.execPath, [compiledCli], { env: { ...process.env, DATABASE_URL: url }, cwd: tmpdir() });
    const [a, b] = await Promise.all([run(), run()]);
    const output = a.stdout + b.stdout;
    for (const name of migrationNames) expect(output.split(`applied migration ${name}`)).toHaveLength(2);
    expect(output).toMatch(/No pending migration/);
    expectFullyMigrated(await bookkeeping(url));
  });

  withCompiledCli('CLI exits 1 with a clear message without DATABASE_URL', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DATABASE_URL;
    const result = await promisify(execFile)(process.execPath, [compiledCli], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL is not set/);
  });
});
