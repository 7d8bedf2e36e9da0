import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { cpuProfileFlags, nodeFlagsFor, serviceProcessEnv } from '@procura/config';
import { createScratchDatabase } from './scratch-database';
import { Redis } from 'ioredis';

/** The repository root, from the TypeScript sources (tests) or from dist/ (benchmarks). */
function findRoot(dir: string): string {
  for (let current = dir; current !== dirname(current); current = dirname(current)) {
    if (existsSync(join(current, 'prisma', 'schema.prisma')) && existsSync(join(current, 'package.json'))) return current;
  }
  throw new Error(`cannot find the repository root above ${dir}`);
}
const root = findRoot(__dirname);
export type SystemService = 'gateway' | 'identity' | 'authorizations' | 'notifications' | 'reporting';
const ALL: SystemService[] = ['identity', 'authorizations', 'notifications', 'reporting', 'gateway'];

/** One running service process and everything it printed (JSON log lines). */
export interface ServiceProcess {
  service: SystemService;
  child: ChildProcess;
  output: string[];
}

export interface SystemOptions {
  /** Services to start (default: all five), and how many replicas of each (default 1). */
  services?: SystemService[];
  replicas?: Partial<Record<SystemService, number>>;
  env?: Record<string, string>;
  /** A Redis server of the test's own (e.g. one the test restarts); default: the run's, on a free database number. */
  redisUrl?: string;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The whole system as separate processes, built from dist/ (npm test builds first), on
 * the PostgreSQL/Redis/SMTP servers of the test run. Each system gets its own database
 * (a copy of the migrated template) and its own Redis database number, so e2e files
 * running in parallel never see each other's messages.
 */
export class TestSystem {
  readonly processes: ServiceProcess[] = [];
  baseUrl = '';
  databaseUrl = '';
  redisUrl = '';
  private env: Record<string, string> = {};
  private readonly expectedReplicas: Partial<Record<SystemService, number>> = {};

  static async start(options: SystemOptions = {}): Promise<TestSystem> {
    const system = new TestSystem();
    try {
      await system.boot(options);
    } catch (error) {
      // Never leave service processes behind a failed start (Jest would not exit).
      await system.stop();
      throw error;
    }
    return system;
  }

  private async boot(options: SystemOptions): Promise<void> {
    this.databaseUrl = await createScratchDatabase('e2e');

    if (options.redisUrl) {
      this.redisUrl = options.redisUrl;
    } else {
      const counter = new Redis(required('REDIS_URL'));
      const dbIndex = ((await counter.incr('procura:test:redis-db')) % 15) + 1;
      counter.disconnect();
      const redisUrl = new URL(required('REDIS_URL'));
      redisUrl.pathname = `/${dbIndex}`;
      this.redisUrl = redisUrl.toString();
    }
    const flush = new Redis(this.redisUrl);
    await flush.flushdb();
    flush.disconnect();

    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.env = {
      NODE_ENV: 'test',
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      SMTP_URL: required('SMTP_URL'),
      PORT: String(port),
      SEED_DEMO: 'true',
      LOG_LEVEL: 'debug',
      DATA_DIR: join(required('PROCURA_TEST_DIR'), new URL(this.databaseUrl).pathname.slice(1)),
      RPC_TIMEOUT_MS: '3000',
      ...(options.env ?? {}),
    };
    const services = options.services ?? ALL;
    for (const service of services) {
      this.expectedReplicas[service] = options.replicas?.[service] ?? 1;
      for (let i = 0; i < this.expectedReplicas[service]; i++) this.spawn(service, i);
    }
    await this.waitForHealth(services.includes('gateway') ? services : []);
  }

  spawn(service: SystemService, replica = 0, env: Record<string, string> = {}): ServiceProcess {
    const main = join(root, 'dist', 'apps', service, 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run the build (npm test does it) before e2e tests`);
    const child = spawn(process.execPath, [...nodeFlagsFor(service), ...cpuProfileFlags(service), main], {
      cwd: root,
      env: serviceProcessEnv(service, {
        ...process.env,
        ...this.env,
        ...env,
        INSTANCE_ID: `${service}-${replica}-${Math.random().toString(36).slice(2, 6)}`,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc: ServiceProcess = { service, child, output: [] };
    const collect = (chunk: Buffer) => proc.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.processes.push(proc);
    return proc;
  }

  /** Log lines (parsed JSON) of every process of a service. */
  logs(service?: SystemService): Array<Record<string, unknown>> {
    return this.processes
      .filter((p) => !service || p.service === service)
      .flatMap((p) => p.output)
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          return { raw: line };
        }
      });
  }

  /** Everything every process printed, as one string (for "this secret never appears" checks). */
  allOutput(): string {
    return this.processes.flatMap((p) => p.output).join('\n');
  }

  /** Kills every process of a service (SIGKILL: a crash, no graceful shutdown). */
  async kill(service: SystemService, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const victims = this.processes.filter((p) => p.service === service && p.child.exitCode === null && p.child.signalCode === null);
    await Promise.all(
      victims.map(
        (p) =>
          new Promise<void>((done) => {
            p.child.once('exit', () => done());
            p.child.kill(signal);
          }),
      ),
    );
  }

  /** Starts a service again (after kill), optionally with different settings. */
  async restart(service: SystemService, env: Record<string, string> = {}): Promise<void> {
    this.spawn(service, 0, env);
    await this.waitForHealth([service]);
  }

  /** Resolves when the process exits (e.g. at a fault-injection point); its exit signal or code. */
  exited(proc: ServiceProcess, timeoutMs = 20_000): Promise<string> {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      return Promise.resolve(String(proc.child.signalCode ?? proc.child.exitCode));
    return new Promise((resolveExit, reject) => {
      const timer = setTimeout(() => reject(new Error(`${proc.service} did not exit within ${timeoutMs} ms`)), timeoutMs);
      proc.child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolveExit(String(signal ?? code));
      });
    });
  }

  /**
   * Polls /health until the given services (and the gateway) answer. The wait follows progress,
   * not the clock alone: it fails once `stallMs` pass with no new log line, no CPU time used by
   * the services and no change in the health answer (a loaded machine boots slowly, but its
   * processes keep working), at `capMs` whatever happens, and at once when a process exits.
   */
  async waitForHealth(services: SystemService[], stallMs = 60_000, capMs = 300_000): Promise<void> {
    const started = Date.now();
    let lastProgress = started;
    let seenLines = -1;
    let seenCpu = -1;
    let last = '';
    // Processes that ended before this wait (killed by a fault test) are not its concern.
    const before = new Set(this.processes.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null));
    const exited = () => this.processes.filter((p) => !before.has(p) && (p.child.exitCode !== null || p.child.signalCode !== null));
    while (Date.now() - lastProgress < stallMs && Date.now() - started < capMs && exited().length === 0) {
      let answer: string;
      try {
        const res = await fetch(`${this.baseUrl}/api/v1/health`);
        const body = (await res.json()) as { components: Record<string, { status: string; replicas?: number }> };
        const ready = (s: SystemService) =>
          body.components[s]?.status === 'up' && (body.components[s]?.replicas ?? 0) >= (this.expectedReplicas[s] ?? 1);
        if (services.every((s) => s === 'gateway' || ready(s))) return;
        answer = JSON.stringify(body.components);
      } catch (error) {
        answer = error instanceof Error ? error.message : String(error);
      }
      const lines = this.processes.reduce((sum, p) => sum + p.output.length, 0);
      const cpu = this.processes.reduce((sum, p) => sum + cpuTicks(p.child.pid), 0);
      if (lines !== seenLines || cpu !== seenCpu || answer !== last) lastProgress = Date.now();
      seenLines = lines;
      seenCpu = cpu;
      last = answer;
      await new Promise((r) => setTimeout(r, 100));
    }
    const dead = exited().map((p) => `${p.service} exited: ${p.output.slice(-5).join(' | ')}`);
    const alive = this.processes
      .filter((p) => p.child.exitCode === null && p.child.signalCode === null)
      .map((p) => `${p.service}: ${p.output.slice(-2).join(' | ')}`);
    throw new Error(
      `system not healthy after ${Date.now() - started} ms (${dead.length ? 'a process exited' : `no progress for ${stallMs} ms or ${capMs} ms in all`}): ${last}\n${[...dead, ...alive].join('\n')}`,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(
        (p) =>
          new Promise<void>((done) => {
            if (p.child.exitCode !== null || p.child.signalCode !== null) return done();
            const force = setTimeout(() => p.child.kill('SIGKILL'), 5000);
            p.child.once('exit', () => {
              clearTimeout(force);
              done();
            });
            p.child.kill('SIGTERM');
          }),
      ),
    );
  }
}

/** CPU time a process has used so far, in clock ticks (Linux /proc; 0 elsewhere, where log lines alone show progress). */
function cpuTicks(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (the global setup sets it)`);
  return value;
}
