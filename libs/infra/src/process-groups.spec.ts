import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BUILT_INFRA = resolve(__dirname, '../../../dist/libs/infra/src/index.js');

/**
 * A launcher (`npm start`, the Jest global setup) started PostgreSQL and Redis in its own
 * process group: a terminal's Ctrl-C stopped them at the same moment as the services,
 * which then printed dozens of ioredis stack traces while shutting down (issue 19,
 * defect 13). Now they live in groups of their own and stop when the launcher says so.
 */
describe('PostgreSQL and Redis started by a launcher', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(process.env.PROCURA_TEST_DIR ?? tmpdir(), 'procura-groups-'));
    await chmod(dir, 0o755);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("outlive the Ctrl-C that reaches the launcher's process group, until the launcher stops them", async () => {
    expect(existsSync(BUILT_INFRA)).toBe(true);
    // The launcher: starts both, and on SIGINT checks they still answer before stopping them (services would stop here).
    const script = `
      const { startPostgres, startRedis, findFreePorts, redisPing } = require(${JSON.stringify(BUILT_INFRA)});
      const { Client } = require('pg');
      (async () => {
        const [pgPort, redisPort] = await findFreePorts(2);
        const [pg, redis] = await Promise.all([
          startPostgres({ dataDir: ${JSON.stringify(join(dir, 'pg'))}, port: pgPort, database: 'groups' }),
          startRedis({ dataDir: ${JSON.stringify(join(dir, 'redis'))}, port: redisPort }),
        ]);
        // Alive until told to stop, like a launcher watching its services (the servers are unref'd).
        setInterval(() => undefined, 1000);
        process.on('SIGINT', async () => {
          await new Promise((r) => setTimeout(r, 500));
          const ping = await redisPing(redisPort, 1000);
          const db = new Client({ connectionString: pg.url });
          const sql = await db.connect().then(() => db.query('SELECT 1 AS one')).then((r) => r.rows[0].one, (e) => e.message);
          await db.end().catch(() => undefined);
          console.log(JSON.stringify({ ping, sql }));
          await redis.stop();
          await pg.stop();
          process.exit(0);
        });
        console.log('ready');
      })().catch((e) => { console.error(e); process.exit(1); });
    `;
    const launcher = spawn(process.execPath, ['-e', script], {
      cwd: resolve(__dirname, '../../..'),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    launcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launcher.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => launcher.once('exit', (code) => done(code)));
    const deadline = Date.now() + 120_000;
    while (!output.includes('ready') && launcher.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('ready');

    // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-launcher.pid!, 'SIGINT');
    const code = await exited;
    if (code !== 0) throw new Error(`launcher exited with ${code} (${launcher.signalCode}): ${output}`);
    const verdict = JSON.parse(output.split('\n').find((line) => line.startsWith('{'))!) as { ping: string; sql: unknown };
    expect(verdict).toEqual({ ping: '+PONG', sql: 1 });
  }, 180_000);
});
