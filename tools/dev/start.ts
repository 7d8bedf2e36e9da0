/**
 * `npm start`: the whole system on one machine, no Docker. Starts PostgreSQL (embedded),
 * Redis (local redis-server) and an SMTP catcher unless DATABASE_URL / REDIS_URL /
 * SMTP_URL point elsewhere, migrates, starts the five services with the demo data set,
 * prints where everything is, and stops all of it on Ctrl-C.
 *
 * `npm run start:cluster` (`--cluster`): the same with two replicas of every service; the
 * gateway replicas listen on PORT+1 and PORT+2 behind a round-robin on PORT.
 */
import { nodeFlagsFor, serviceProcessEnv } from '@procura/config';
import { DEMO } from '@procura/contracts';
import { migrate } from '@procura/database';
import { startPostgres, startRedis, startRoundRobin, startSmtpCatcher } from '@procura/infra';
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const dataDir = resolve(process.env.DATA_DIR ?? join(root, '.data'));
const port = Number(process.env.PORT ?? 3000);
const ports = {
  postgres: Number(process.env.DEV_POSTGRES_PORT ?? 54329),
  redis: Number(process.env.DEV_REDIS_PORT ?? 63799),
  smtp: Number(process.env.DEV_SMTP_PORT ?? 2525),
  outbox: Number(process.env.DEV_OUTBOX_PORT ?? 8025),
};
const SERVICES = ['identity', 'authorizations', 'notifications', 'reporting', 'gateway'] as const;
const replicas = process.argv.includes('--cluster') ? 2 : 1;

const stoppers: Array<() => Promise<void>> = [];
const children: ChildProcess[] = [];
let stopping = false;
/** The embedded PostgreSQL's URL, printed for psql and database tools (development credentials). */
let embeddedDatabaseUrl: string | undefined;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const started = Date.now();
  mkdirSync(join(dataDir, 'logs'), { recursive: true });

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    // Unlike the throw-away test clusters, this one keeps data across restarts: keep it crash-safe.
    const pg = await startPostgres({
      dataDir: join(dataDir, 'postgres'),
      port: ports.postgres,
      database: 'procura',
      settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' },
    });
    stoppers.unshift(() => pg.stop());
    databaseUrl = pg.url;
    say(`postgres   embedded PostgreSQL on 127.0.0.1:${ports.postgres} (data in ${join(dataDir, 'postgres')})`);
    embeddedDatabaseUrl = pg.url;
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const redis = await startRedis({ dataDir: join(dataDir, 'redis'), port: ports.redis });
    stoppers.unshift(() => redis.stop());
    redisUrl = redis.url;
    say(`redis      local redis-server on 127.0.0.1:${ports.redis}`);
  }
  let smtpUrl = process.env.SMTP_URL;
  let outboxUrl: string | undefined;
  if (!smtpUrl) {
    const smtp = await startSmtpCatcher({ dataDir: join(dataDir, 'mail'), smtpPort: ports.smtp, httpPort: ports.outbox });
    stoppers.unshift(() => smtp.stop());
    smtpUrl = smtp.url;
    outboxUrl = smtp.outboxUrl;
    say(`smtp       mail catcher on 127.0.0.1:${ports.smtp}`);
  }

  const { applied } = await migrate({ databaseUrl, log: (m) => say(`migrate    ${m}`) });
  say(`migrate    ${applied.length === 0 ? 'database up to date' : `${applied.length} migration(s) applied`}`);

  const env = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    SMTP_URL: smtpUrl,
    PORT: String(port),
    DATA_DIR: dataDir,
    SEED_DEMO: process.env.SEED_DEMO ?? 'true',
  };
  for (const service of SERVICES) {
    for (let replica = 0; replica < replicas; replica++) {
      // Every replica seeds too: the seeds are safe to run at once (lockSeed), and this proves it.
      const replicaEnv = replicas === 1 ? env : { ...env, INSTANCE_ID: `${service}-${replica + 1}`, PORT: String(port + replica + 1) };
      children.push(startService(service, replicaEnv, replicas === 1 ? service : `${service}-${replica + 1}`));
    }
  }
  if (replicas > 1) {
    const gateways = Array.from({ length: replicas }, (_, i) => `http://127.0.0.1:${port + i + 1}`);
    const balancer = await startRoundRobin({ port, upstreams: gateways });
    stoppers.unshift(() => balancer.stop());
    for (const gateway of gateways) await waitForHealth(`${gateway}/api/v1/health`, 90_000, replicas);
    say(`cluster    ${replicas} replicas of every service; gateways ${gateways.join(', ')} behind a round-robin on :${port}`);
  }

  await waitForHealth(`http://127.0.0.1:${port}/api/v1/health`, 60_000, replicas);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say('');
  say(`Procura is ready (${seconds} s). Ctrl-C stops everything.`);
  say('');
  say(`  Web console     http://localhost:${port}/   (sign in with a demo login id, or e-mail, below)`);
  say(`  API             http://localhost:${port}/api/v1`);
  say(`  API docs        http://localhost:${port}/api/docs   (OpenAPI JSON: /api/docs-json)`);
  say(`  Health          http://localhost:${port}/api/v1/health`);
  say(`  Queue dashboard http://localhost:${port}/admin/queues   (user: operator, password: the operator key)`);
  if (outboxUrl) say(`  Mail outbox     ${outboxUrl}`);
  if (embeddedDatabaseUrl) say(`  Database        ${embeddedDatabaseUrl}`);
  say(`  Logs            ${join(dataDir, 'logs')}/<service>.log (JSON lines)`);
  say('');
  say('  Demo logins (development data only)');
  say(`    operator ${DEMO.operator.name}: Authorization: Bearer ${DEMO.operator.apiKey}`);
  const { sophie, paul, marc, julie } = DEMO.users;
  say(`    password of every demo user: ${sophie.password}   (POST /api/v1/auth/login, then /auth/totp/verify {"code"})`);
  say(`    ${DEMO.companies.martin.name} (collective signatures: each change needs the other administrator)`);
  say(`      ${sophie.name.padEnd(14)} administrator  login id ${sophie.loginId}  TOTP secret ${sophie.totpSecret}`);
  say(`      ${paul.name.padEnd(14)} administrator  login id ${paul.loginId}  TOTP secret ${paul.totpSecret}`);
  say(`      ${julie.name.padEnd(14)} user           login id ${julie.loginId}`);
  say(`    ${DEMO.companies.dupont.name} (individual signature: changes apply at once)`);
  say(`      ${marc.name.padEnd(14)} administrator  login id ${marc.loginId}  TOTP secret ${marc.totpSecret}`);
  const { firm } = DEMO;
  say(
    `    ${firm.organisation.name} (accounting firm): collaborator ${firm.collaborator.name}, clients ${firm.clients.girard.name} and ${firm.clients.roux.name}`,
  );
  say(
    `      sign in: POST /api/v1/auth/operators/login {"login":"${firm.collaborator.email}" (or "${firm.collaborator.loginId}"),"password":"${firm.collaborator.password}","totpCode":"<code>"}`,
  );
  say(`      TOTP secret ${firm.collaborator.totpSecret}; then GET /api/v1/companies lists her two clients`);
  const { nathalie } = DEMO.users;
  say(`    ${firm.clients.girard.name} signs in with the e-mail; one person, two companies:`);
  say(`      ${nathalie.name.padEnd(14)} administrator of both  e-mail ${nathalie.email}  TOTP secret ${nathalie.totpSecret}`);
  say(
    `      she lands in ${firm.clients.girard.name}; POST /api/v1/auth/switch-company {"companyId":"${firm.clients.roux.id}"} (or the console's company menu) takes her to ${firm.clients.roux.name}`,
  );
  say('    TOTP codes: add the secret to an authenticator app, or');
  say(`      node -e "console.log(require('otplib').generateSync({secret:'${sophie.totpSecret}'}))"`);
  say(`    SMS outbox: ${join(dataDir, 'sms')}`);
  say('');
}

function startService(service: (typeof SERVICES)[number], env: NodeJS.ProcessEnv, name: string): ChildProcess {
  const log = createWriteStream(join(dataDir, 'logs', `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [...nodeFlagsFor(service), join(root, 'dist', 'apps', service, 'src', 'main.js')], {
    cwd: root,
    env: serviceProcessEnv(service, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const relay = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const entry = parse(line);
      // Warnings and errors reach the console; everything is in the log file.
      if (!entry) say(`[${name}] ${line}`);
      else if (entry.level !== 'info' && entry.level !== 'debug' && entry.level !== 'trace')
        say(`[${name}] ${entry.level}: ${entry.msg ?? ''}`);
    }
  };
  child.stdout?.on('data', relay);
  child.stderr?.on('data', relay);
  child.on('exit', (code, signal) => {
    if (!stopping) say(`[${name}] exited (${signal ?? code}); see ${join(dataDir, 'logs', `${name}.log`)}`);
  });
  return child;
}

function parse(line: string): { level?: string; msg?: string } | undefined {
  try {
    return JSON.parse(line) as { level?: string; msg?: string };
  } catch {
    return undefined;
  }
}

/** Until the gateway at `url` answers healthy with at least `replicas` live replicas of every service. */
async function waitForHealth(url: string, timeoutMs: number, replicas = 1): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      last = await res.text();
      const body = JSON.parse(last) as { components?: Record<string, { replicas?: number }> };
      const enough = Object.values(body.components ?? {}).every((c) => c.replicas === undefined || c.replicas >= replicas);
      if (res.status === 200 && enough) return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the system did not become healthy within ${timeoutMs / 1000} s: ${last}`);
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(force);
            done();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  for (const stopInfra of stoppers) await stopInfra().catch(() => undefined);
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
});
