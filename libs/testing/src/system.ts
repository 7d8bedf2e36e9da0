import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { cpuProfileFlags, nodeFlagsFor, serviceProcessEnv } from '@procura/config';
import { createScratchDatabase } from './scratch-database';
import { scratchRedisUrl } from './scratch-redis';
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

/** One running service process and what it printed (JSON log lines). */
export interface ServiceProcess {
  service: SystemService;
  /** 0 for the first replica of a service. */
  replica: number;
  /** INSTANCE_ID: the replica's name in logs and in the RPC presence set. */
  instanceId: string;
  child: ChildProcess;
  /** Everything it printed; with `logDir`, only the last lines (the rest is in its log file). */
  output: string[];
  /** The gateway replica's base URL. */
  baseUrl?: string;
}

/** What every running system offers a test: where it is and what it printed. */
export interface RunningSystem {
  baseUrl: string;
  databaseUrl: string;
  redisUrl: string;
  /** Log lines (parsed JSON) of every process of a service (all services without one). */
  logs(service?: SystemService): Array<Record<string, unknown>>;
  /** Everything every process printed, as one string (for "this secret never appears" checks). */
  allOutput(): string;
}

export interface SystemOptions {
  /** Services to start (default: all five), and how many replicas of each (default 1); each gateway replica listens on a port of its own. */
  services?: SystemService[];
  replicas?: Partial<Record<SystemService, number>>;
  env?: Record<string, string>;
  /** A Redis server of the test's own (e.g. one the test restarts); default: the run's, on a free database number. */
  redisUrl?: string;
  /** A migrated database of the test's own (e.g. on a PostgreSQL it stops); default: a copy of the run's template. */
  databaseUrl?: string;
  /** Writes each process's output to `<logDir>/<service>-<replica>-<pid>.log` instead of keeping it in memory. */
  logDir?: string;
  /**
   * How long the system may go without any sign of progress while it starts: no process
   * printing anything and no service becoming ready. A process that exits fails the start
   * at once; a slow start on a loaded machine goes on as long as it progresses.
   */
  stallTimeoutMs?: number;
  /** Older name of stallTimeoutMs (callers that gave many replicas on a loaded machine more time). */
  healthTimeoutMs?: number;
}

/** Without a sign of progress for this long, a starting system is stuck. */
const DEFAULT_STALL_TIMEOUT_MS = 90_000;
/** Even a progressing start gives up after this long. */
const START_CAP_MS = 15 * 60_000;
/** Lines of output kept in memory per process when they go to a file. */
const TAIL_LINES = 200;

export function freePort(): Promise<number> {
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
 * (a copy of the migrated template) and its own Redis database number, so systems
 * running in parallel never see each other's messages.
 *
 * Most e2e files share one system started for the whole run (see sharedSystem()); a
 * private one is for tests that kill, restart or replicate services, stop Redis or
 * PostgreSQL, or need settings of their own.
 */
export class TestSystem implements RunningSystem {
  readonly processes: ServiceProcess[] = [];
  baseUrl = '';
  /** Base URL of each gateway replica (the first is baseUrl). */
  gatewayUrls: string[] = [];
  databaseUrl = '';
  redisUrl = '';
  private env: Record<string, string> = {};
  private readonly expectedReplicas: Partial<Record<SystemService, number>> = {};
  private readonly gatewayPorts: number[] = [];
  private readonly killed = new Set<ChildProcess>();
  private readonly logFiles: WriteStream[] = [];
  private logDir?: string;
  private stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS;
  /** Output lines seen so far by every process: a measure of progress while starting. */
  private linesSeen = 0;

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
    this.databaseUrl = options.databaseUrl ?? (await createScratchDatabase('e2e'));
    this.logDir = options.logDir;
    if (this.logDir) mkdirSync(this.logDir, { recursive: true });
    this.stallTimeoutMs = options.stallTimeoutMs ?? options.healthTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;

    if (options.redisUrl) {
      this.redisUrl = options.redisUrl;
    } else {
      this.redisUrl = await scratchRedisUrl();
    }
    const flush = new Redis(this.redisUrl);
    await flush.flushdb();
    flush.disconnect();

    const services = options.services ?? ALL;
    for (const service of services) this.expectedReplicas[service] = options.replicas?.[service] ?? 1;
    for (let i = 0; i < (this.expectedReplicas.gateway ?? 1); i++) this.gatewayPorts.push(await freePort());
    this.gatewayUrls = this.gatewayPorts.map((port) => `http://127.0.0.1:${port}`);
    this.baseUrl = this.gatewayUrls[0];
    this.env = {
      NODE_ENV: 'test',
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      SMTP_URL: required('SMTP_URL'),
      SEED_DEMO: 'true',
      LOG_LEVEL: 'debug',
      DATA_DIR: join(required('PROCURA_TEST_DIR'), new URL(this.databaseUrl).pathname.slice(1)),
      // Generous: a test asserting a 201 must not get a 503 because the machine is busy (a
      // service that is down is reported at once, whatever this is).
      RPC_TIMEOUT_MS: '10000',
      ...(options.env ?? {}),
    };
    for (const service of services) {
      for (let i = 0; i < this.expectedReplicas[service]!; i++) this.spawn(service, i);
    }
    await this.waitForHealth(services.includes('gateway') ? services : []);
  }

  spawn(service: SystemService, replica = 0, env: Record<string, string> = {}): ServiceProcess {
    const main = join(root, 'dist', 'apps', service, 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run the build (npm test does it) before e2e tests`);
    const port = service === 'gateway' ? this.gatewayPorts[replica] : undefined;
    if (service === 'gateway' && port === undefined)
      throw new Error(`gateway replica ${replica} has no port: start the system with replicas`);
    const instanceId = `${service}-${replica}-${Math.random().toString(36).slice(2, 6)}`;
    const child = spawn(process.execPath, [...nodeFlagsFor(service), ...cpuProfileFlags(service), main], {
      cwd: root,
      env: serviceProcessEnv(service, {
        ...process.env,
        ...this.env,
        ...(port ? { PORT: String(port) } : {}),
        ...env,
        INSTANCE_ID: instanceId,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc: ServiceProcess = {
      service,
      replica,
      instanceId,
      child,
      output: [],
      ...(port ? { baseUrl: `http://127.0.0.1:${port}` } : {}),
    };
    const file = this.logDir ? createWriteStream(join(this.logDir, `${service}-${replica}-${child.pid}.log`)) : undefined;
    if (file) this.logFiles.push(file);
    let partial = '';
    const collect = (chunk: Buffer) => {
      file?.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      const complete = lines.filter(Boolean);
      this.linesSeen += complete.length;
      proc.output.push(...complete);
      if (file && proc.output.length > TAIL_LINES) proc.output.splice(0, proc.output.length - TAIL_LINES);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.processes.push(proc);
    return proc;
  }

  logs(service?: SystemService): Array<Record<string, unknown>> {
    return this.processes
      .filter((p) => !service || p.service === service)
      .flatMap((p) => p.output)
      .map(parseLogLine);
  }

  allOutput(): string {
    return this.processes.flatMap((p) => p.output).join('\n');
  }

  /** The processes of a service that are still running. */
  running(service: SystemService): ServiceProcess[] {
    return this.processes.filter((p) => p.service === service && isAlive(p.child));
  }

  /** Kills every process of a service (SIGKILL: a crash, no graceful shutdown). */
  async kill(service: SystemService, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await Promise.all(
      this.running(service).map(
        (p) =>
          new Promise<void>((done) => {
            this.killed.add(p.child);
            p.child.once('exit', () => done());
            p.child.kill(signal);
          }),
      ),
    );
  }

  /** Kills one live replica of a service (SIGKILL by default: a crash); returns it, or undefined when none is alive. */
  async killReplica(service: SystemService, signal: NodeJS.Signals = 'SIGKILL'): Promise<ServiceProcess | undefined> {
    const victim = this.running(service)[0];
    if (!victim) return undefined;
    this.killed.add(victim.child);
    const exited = new Promise<void>((done) => victim.child.once('exit', () => done()));
    victim.child.kill(signal);
    await exited;
    return victim;
  }

  /** Starts every replica of a service again (after kill), optionally with different settings. */
  async restart(service: SystemService, env: Record<string, string> = {}): Promise<void> {
    for (let i = 0; i < (this.expectedReplicas[service] ?? 1); i++) this.spawn(service, i, env);
    await this.waitForHealth([service]);
  }

  /** Resolves when the process exits (e.g. at a fault-injection point); its exit signal or code. */
  exited(proc: ServiceProcess, timeoutMs = 60_000): Promise<string> {
    if (!isAlive(proc.child)) return Promise.resolve(String(proc.child.signalCode ?? proc.child.exitCode));
    this.killed.add(proc.child);
    return new Promise((resolveExit, reject) => {
      const timer = setTimeout(() => reject(new Error(`${proc.service} did not exit within ${timeoutMs} ms`)), timeoutMs);
      proc.child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolveExit(String(signal ?? code));
      });
    });
  }

  /**
   * Polls /health (of every gateway replica) until the given services are up with their
   * replicas. It follows progress rather than a fixed deadline: a process that exits fails
   * the wait at once, with its last lines; a slow start on a loaded machine is waited for
   * as long as processes keep printing, spending CPU or coming up, and fails after
   * `stallTimeoutMs` without any of these.
   */
  async waitForHealth(services: SystemService[], stallTimeoutMs = this.stallTimeoutMs): Promise<void> {
    const started = Date.now();
    let lastProgress = Date.now();
    let progressMark = '';
    let last: string;
    for (;;) {
      const dead = this.processes.filter((p) => !isAlive(p.child) && !this.killed.has(p.child));
      if (dead.length) {
        throw new Error(
          `system not healthy: ${dead.map((p) => `${p.service} exited (${p.child.signalCode ?? p.child.exitCode})`).join(', ')}\n` +
            dead.map((p) => `${p.service}: ${p.output.slice(-8).join('\n  ')}`).join('\n'),
        );
      }
      let ready: SystemService[] = [];
      try {
        const reports = await Promise.all(this.gatewayUrls.map((url) => healthOf(url)));
        const report = reports[0];
        ready = services.filter(
          (s) =>
            s === 'gateway' ||
            (report.components[s]?.status === 'up' && (report.components[s]?.replicas ?? 0) >= (this.expectedReplicas[s] ?? 1)),
        );
        if (ready.length === services.length) return;
        last = JSON.stringify(report);
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      // Progress: a line printed, a service up, or CPU spent (a start starved of CPU by a
      // busy machine prints nothing for a long while, yet moves on).
      const mark = `${this.linesSeen}|${ready.join(',')}|${Math.floor(cpuTicks(this.processes) / CPU_TICKS_OF_PROGRESS)}`;
      if (mark !== progressMark) {
        progressMark = mark;
        lastProgress = Date.now();
      }
      const stalledMs = Date.now() - lastProgress;
      if (stalledMs > stallTimeoutMs || Date.now() - started > START_CAP_MS) {
        throw new Error(
          `system not healthy after ${Date.now() - started} ms (${stalledMs} ms without progress): ${last}\n` +
            this.processes.map((p) => `${p.service}: ${p.output.slice(-3).join(' | ')}`).join('\n'),
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(
        (p) =>
          new Promise<void>((done) => {
            if (!isAlive(p.child)) return done();
            this.killed.add(p.child);
            const force = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
            p.child.once('exit', () => {
              clearTimeout(force);
              done();
            });
            p.child.kill('SIGTERM');
          }),
      ),
    );
    await Promise.all(this.logFiles.map((file) => new Promise<void>((done) => file.end(done))));
  }
}

interface HealthBody {
  components: Record<string, { status: string; replicas?: number }>;
}

async function healthOf(baseUrl: string): Promise<HealthBody> {
  const res = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as HealthBody;
  if (!body?.components) throw new Error(`${baseUrl}/api/v1/health answered ${res.status} without components`);
  return body;
}

export function parseLogLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { raw: line };
  }
}

/** CPU time (1/100 s, Linux clock ticks) that counts as progress of a starting system. */
const CPU_TICKS_OF_PROGRESS = 20;

/** CPU time spent so far by the live processes, in clock ticks (0 where /proc is missing). */
function cpuTicks(processes: ServiceProcess[]): number {
  let ticks = 0;
  for (const p of processes) {
    if (!p.child.pid || !isAlive(p.child)) continue;
    try {
      // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${p.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Not Linux, or the process just exited.
    }
  }
  return ticks;
}

function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (the global setup sets it)`);
  return value;
}
