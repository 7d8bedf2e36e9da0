import { chmod, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findFreePort } from './ports';
import { startPostgres } from './postgres.launcher';
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
  const started: RunningPostgres[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'procura-pg-spec-'));
    // Under root the server runs as the postgres user, which must reach the data directory.
    await chmod(dir, 0o755);
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((service) => service.stop()));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function start(port: number): Promise<RunningPostgres> {
    const service = await startPostgres({ dataDir: join(dir, 'pg'), port, database: 'procura_spec', user: 'procura', password: 's3cret' });
    started.push(service);
    return service;
  }

  it('initialises, creates the database, serves queries, and keeps a table across a restart', async () => {
    const port = await findFreePort();
    const first = await start(port);
    expect(first.url).toBe(`postgresql://procura:s3cret@127.0.0.1:${port}/procura_spec`);
    expect(first.adminUrl).toBe(`postgresql://procura:s3cret@127.0.0.1:${port}/postgres`);

    const [info] = await query<{ db: string; encoding: string }>(first.url, 'SELECT current_database() AS db, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()');
    expect(info).toEqual({ db: 'procura_spec', encoding: 'UTF8' });
    await query(first.url, 'CREATE TABLE kept (id int PRIMARY KEY, label text NOT NULL)');
    await query(first.url, 'INSERT INTO kept VALUES (1, $1)', ['Élodie']);
    const systemId = await readFile(join(dir, 'pg', 'global', 'pg_control'));
    await first.stop();
    await expect(query(first.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);

    const restartedAt = Date.now();
    const second = await start(await findFreePort());
    const restartMs = Date.now() - restartedAt;
    const rows = await query<{ label: string }>(second.url, 'SELECT upper(label) AS label FROM kept WHERE id = 1');
    expect(rows).toEqual([{ label: 'ÉLODIE' }]);
    // Same cluster, not a new initdb: the control file keeps its system identifier.
    expect((await readFile(join(dir, 'pg', 'global', 'pg_control'))).subarray(0, 8)).toEqual(systemId.subarray(0, 8));
    expect(restartMs).toBeLessThan(5000);
  });

  it('gives an admin URL that can create scratch databases', async () => {
    const pg = await start(await findFreePort());
    await query(pg.adminUrl, 'DROP DATABASE IF EXISTS scratch_spec');
    await query(pg.adminUrl, 'CREATE DATABASE scratch_spec');
    const [row] = await query<{ db: string }>(pg.url.replace(/\/procura_spec$/, '/scratch_spec'), 'SELECT current_database() AS db');
    expect(row.db).toBe('scratch_spec');
  });

  it('names the port when it is already taken', async () => {
    const pg = await start(await findFreePort());
    const port = Number(new URL(pg.url).port);
    await expect(startPostgres({ dataDir: join(dir, 'other'), port, database: 'x' })).rejects.toThrow(
      new RegExp(`PostgreSQL cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`),
    );
  });

  (process.getuid?.() === 0 ? it : it.skip)('explains when the postgres user cannot reach the data directory', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked, { mode: 0o700 });
    await chmod(locked, 0o700);
    expect((await stat(locked)).mode & 0o777).toBe(0o700);
    await expect(startPostgres({ dataDir: join(locked, 'pg'), port: await findFreePort(), database: 'x' })).rejects.toThrow(
      new RegExp(`cannot reach ${locked}/pg: ${locked} has mode 700\\. Allow traversal with \`chmod o\\+x ${locked}\``),
    );
  });
});
