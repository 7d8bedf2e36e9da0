/**
 * Start-up smoke (`node dist/tools/dev/smoke.js [--cluster]`, run by .ci/run on the
 * machine's Node): starts `npm start`'s launcher (or the cluster) on free ports in a
 * temporary folder, waits for it to say it is ready, checks /health is green, signs a
 * demo user in through the API, then stops it with Ctrl-C's signal and checks that it exits.
 */
import { DEMO } from '@procura/contracts';
import { findFreePorts, isPortFree } from '@procura/infra';
import { spawn } from 'node:child_process';
import { generateSync } from 'otplib';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const cluster = process.argv.includes('--cluster');
const READY_WITHIN_MS = 180_000;

function say(line: string): void {
  process.stdout.write(`smoke: ${line}\n`);
}

async function main(): Promise<void> {
  const began = Date.now();
  const dataDir = await mkdtemp(join(tmpdir(), 'procura-smoke-'));
  // Under root PostgreSQL runs as the postgres user, which must traverse this directory.
  await chmod(dataDir, 0o755);
  const [postgres, redis, smtp, outbox] = await findFreePorts(4);
  const port = await freePortRun(cluster ? 3 : 1);
  const child = spawn(process.execPath, [join(root, 'dist', 'tools', 'dev', 'start.js'), ...(cluster ? ['--cluster'] : [])], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      DEV_POSTGRES_PORT: String(postgres),
      DEV_REDIS_PORT: String(redis),
      DEV_SMTP_PORT: String(smtp),
      DEV_OUTBOX_PORT: String(outbox),
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | string>((done) => child.once('exit', (code, signal) => done(signal ?? code ?? 'unknown')));
  try {
    // Progress-following: wait while the launcher lives and has not said it is ready.
    const deadline = Date.now() + READY_WITHIN_MS;
    while (!output.includes('Procura is ready')) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the launcher exited before it was ready:\n${output}`);
      if (Date.now() > deadline) throw new Error(`not ready within ${READY_WITHIN_MS / 1000} s:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    say(`ready in ${((Date.now() - began) / 1000).toFixed(1)} s on Node ${process.version}${cluster ? ' (cluster)' : ''}`);
    const api = `http://127.0.0.1:${port}/api/v1`;
    const health = await fetch(`${api}/health`);
    const body = (await health.json()) as { status: string; components: Record<string, { status: string; replicas?: number }> };
    if (health.status !== 200 || body.status !== 'up') throw new Error(`health is not green: ${health.status} ${JSON.stringify(body)}`);
    say(
      `health ${body.status}: ${Object.entries(body.components)
        .map(([name, c]) => `${name} ${c.status}${c.replicas === undefined ? '' : ` ×${c.replicas}`}`)
        .join(', ')}`,
    );
    const { sophie } = DEMO.users;
    const login = await fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: sophie.loginId, password: sophie.password }),
    });
    const first = (await login.json()) as { accessToken?: string; scope?: string };
    if (login.status !== 200 || !first.accessToken) throw new Error(`demo sign-in failed: ${login.status} ${JSON.stringify(first)}`);
    // Sophie has TOTP enrolled: the password opens a session that may only give the code.
    let session = first;
    if (first.scope === 'totp-verification') {
      const verify = await fetch(`${api}/auth/totp/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${first.accessToken}` },
        body: JSON.stringify({ code: generateSync({ secret: sophie.totpSecret }) }),
      });
      session = (await verify.json()) as { accessToken?: string; scope?: string };
      if (verify.status !== 200 || !session.accessToken) throw new Error(`demo TOTP verification failed: ${verify.status}`);
    }
    const me = await fetch(`${api}/auth/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    if (me.status !== 200) throw new Error(`GET /auth/me with the new token answered ${me.status}`);
    say(`demo sign-in of ${sophie.name} OK`);
  } finally {
    child.kill('SIGINT');
    const stopDeadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const how = await exited;
    clearTimeout(stopDeadline);
    say(`stopped (${how})`);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A free port followed by `length - 1` free ones (the cluster's gateway replicas take PORT+1 and PORT+2). */
async function freePortRun(length: number): Promise<number> {
  for (;;) {
    const [first] = await findFreePorts(1);
    const rest = await Promise.all(Array.from({ length: length - 1 }, (_, i) => isPortFree(first + i + 1)));
    if (first + length < 65536 && rest.every(Boolean)) return first;
  }
}

main().then(
  () => say('passed'),
  (error: unknown) => {
    process.stderr.write(`smoke: FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
