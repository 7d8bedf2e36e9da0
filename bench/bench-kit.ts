import { cpuProfileFlags, nodeFlagsFor, serviceProcessEnv } from '@procura/config';
import { migrate } from '@procura/database';
import { ChildProcess, spawn, StdioOptions } from 'node:child_process';
import { findFreePorts, startPostgres, startRedis, startSmtpCatcher } from '@procura/infra';
import { createTemplateDatabase, type SystemOptions, TestSystem } from '@procura/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Real servers for a benchmark run, on free ports in a temporary directory. */
export interface BenchEnv {
  dir: string;
  databaseUrl: string;
  adminUrl: string;
  redisUrl: string;
  smtpUrl: string;
  smtpPort: number;
  /** Environment for service processes started by a benchmark (TestSystem-like). */
  env: Record<string, string>;
}

/** One printed line: the figure measured, beside the baseline measured in the same run. */
export interface BenchFigure {
  metric: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number };
  /** The target, e.g. "≥ 70 % of baseline" or "p99 < 10 ms". */
  target?: string;
  met?: boolean;
}

export interface Benchmark {
  name: string;
  run(env: BenchEnv): Promise<BenchFigure[]>;
}

export async function startBenchEnv(): Promise<BenchEnv & { stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'procura-bench-'));
  // Under root PostgreSQL runs as the postgres user, which must traverse this directory (as in the test global setup).
  await chmod(dir, 0o755);
  const [pgPort, redisPort, smtpPort] = await findFreePorts(3);
  const [pg, redis, smtp] = await Promise.all([
    startPostgres({ dataDir: join(dir, 'postgres'), port: pgPort, database: 'procura_bench' }),
    startRedis({ dataDir: join(dir, 'redis'), port: redisPort }),
    startSmtpCatcher({ dataDir: join(dir, 'mail'), smtpPort }),
  ]);
  await migrate({ databaseUrl: pg.url });
  // TestSystem (the approvals benchmark) copies its database from this template, as under Jest.
  await createTemplateDatabase(pg.adminUrl as string, new URL(pg.url).pathname.slice(1));
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    SMTP_URL: smtp.url,
    LOG_LEVEL: 'warn',
    DATA_DIR: join(dir, 'data'),
    // Benchmarks measure the system, not the flood shield.
    RATE_LIMIT_PER_MINUTE: '10000000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
  };
  return {
    dir,
    databaseUrl: pg.url,
    adminUrl: pg.adminUrl,
    redisUrl: redis.url,
    smtpUrl: smtp.url,
    smtpPort,
    env,
    async stop() {
      await Promise.allSettled([smtp.stop(), redis.stop(), pg.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The whole system as under Jest (TestSystem: every service a process of its own, a database
 * copied from the template), on the benchmark's servers, quiet, without the flood shield.
 */
export function startSystem(env: BenchEnv, options: SystemOptions = {}): Promise<TestSystem> {
  Object.assign(process.env, {
    PG_ADMIN_URL: env.adminUrl,
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    SMTP_URL: env.smtpUrl,
    PROCURA_TEST_DIR: env.dir,
  });
  return TestSystem.start({ ...options, env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '10000000', ...options.env } });
}

/** Percentile of a list of durations (ms). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `fn` `count` times with `concurrency` in flight; returns each call's latency (ms) and the wall time. */
export async function load(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await fn(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** Polls `probe` every 200 ms until it answers truthy (a throw counts as "not yet"); fails after `timeoutMs`. */
export async function until(what: string, probe: () => Promise<unknown>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not ready after ${timeoutMs / 1000} s`);
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux; NaN elsewhere). */
export function cpuMs(pid: number | undefined, statFile = `/proc/${pid}/stat`): number {
  try {
    const stat = readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms (USER_HZ)
  } catch {
    return NaN;
  }
}

/** CPU time (ms) of a process split between its main thread (the event loop) and all its other threads (libuv pool, V8 helpers). */
export function threadCpuMs(pid: number | undefined): { main: number; others: number } {
  let others = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`))
      if (Number(tid) !== pid) others += cpuMs(Number(tid), `/proc/${pid}/task/${tid}/stat`);
    return { main: cpuMs(pid, `/proc/${pid}/task/${pid}/stat`), others };
  } catch {
    return { main: NaN, others: NaN };
  }
}

/**
 * CPU time (ms) of a process and all its children: what its living children have used,
 * plus what the ones that ended left in its own account (cutime/cstime). For a
 * PostgreSQL server: the postmaster's pid gives every backend's CPU, and nothing of the
 * other servers on the machine.
 */
export function processTreeCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / 100;
    let children = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
      try {
        const child = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (Number(child.slice(child.lastIndexOf(')') + 2).split(' ')[1]) === pid) children += cpuMs(Number(entry));
      } catch {
        // The process ended meanwhile (its CPU is now in the parent's account).
      }
    }
    return own + children;
  } catch {
    return NaN;
  }
}

/** CPU time (ms) used so far by every process of this machine whose command name is `comm` (e.g. postgres: the postmaster and its backends). */
export function cpuMsOfCommand(comm: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== comm) continue;
      total += cpuMs(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

const root = resolve(__dirname, '..', '..');

/**
 * Starts one service from dist/ as every launcher does (its Node flags, the service process
 * environment). `PROCURA_CPU_PROFILE_DIR=<dir>` adds a CPU profile per service process
 * (cpuProfileFlags): how the figures in the README were taken apart.
 */
export function spawnService(service: string, env: NodeJS.ProcessEnv, stdio: StdioOptions = ['ignore', 'ignore', 'inherit']): ChildProcess {
  return spawn(
    process.execPath,
    [...nodeFlagsFor(service), ...cpuProfileFlags(service), join(root, 'dist', 'apps', service, 'src', 'main.js')],
    {
      cwd: root,
      env: serviceProcessEnv(service, { ...process.env, ...env }),
      stdio,
    },
  );
}
