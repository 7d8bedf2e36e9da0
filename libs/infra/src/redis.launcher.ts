import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutputTail, findExecutable, hasExited, isExecutableFile, startWatchdog, stopWatchdog, terminate } from './child-process.util';
import { LOCAL_HOST, PortInUseError, assertPortFree, errorMessage } from './ports';
import type { RunningService } from './running-service';

export interface RedisLaunchOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /** Path of the redis-server binary (the caller's REDIS_SERVER_BIN); defaults to the one on PATH. */
  redisServerBin?: string;
  /** PATH to search when `redisServerBin` is not given; defaults to this process's PATH. */
  searchPath?: string;
  startTimeoutMs?: number;
}

export const REDIS_INSTALL_HINT =
  'Install it (Debian/Ubuntu: `apt-get install -y redis-server`; macOS: `brew install redis`) ' +
  'or set REDIS_SERVER_BIN to the path of a redis-server binary';

export class RedisNotInstalledError extends Error {
  /** @param detail what is missing, without the remedy (callers with another remedy reuse it). */
  constructor(readonly detail: string) {
    super(
      `${detail} ${REDIS_INSTALL_HINT}, or set REDIS_URL to an existing Redis server (e.g. redis://127.0.0.1:6379) so that none is started.`,
    );
    this.name = 'RedisNotInstalledError';
  }
}

export function resolveRedisServerBin(opts: Pick<RedisLaunchOptions, 'redisServerBin' | 'searchPath'>): string {
  if (opts.redisServerBin) {
    if (!isExecutableFile(opts.redisServerBin)) {
      throw new RedisNotInstalledError(`The configured redis-server binary ${opts.redisServerBin} does not exist or is not executable.`);
    }
    return opts.redisServerBin;
  }
  const found = findExecutable('redis-server', opts.searchPath ?? process.env.PATH);
  if (!found) throw new RedisNotInstalledError('redis-server was not found on PATH.');
  return found;
}

export async function startRedis(opts: RedisLaunchOptions): Promise<RunningService> {
  const bin = resolveRedisServerBin(opts);
  await assertPortFree('Redis', opts.port);
  const dataDir = resolvePath(opts.dataDir);
  await mkdir(dataDir, { recursive: true });

  const tail = new OutputTail(opts.log);
  const child = spawn(
    bin,
    [
      '--port',
      String(opts.port),
      '--bind',
      LOCAL_HOST,
      '--protected-mode',
      'yes',
      '--daemonize',
      'no',
      '--dir',
      dataDir,
      // The append-only file alone is the persistence; RDB snapshots would only add forks.
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--logfile',
      '',
    ],
    // A process group of its own: the Ctrl-C of the terminal that started `npm start` (or
    // Jest) reaches the services, which stop first, not Redis (the launcher stops it last).
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));
  child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));

  const deadline = Date.now() + (opts.startTimeoutMs ?? 10_000);
  for (;;) {
    if (spawnError) throw new Error(`Cannot run ${bin}: ${spawnError.message}`);
    if (hasExited(child)) {
      // Taken between the port check and the bind.
      if (/Address already in use/.test(tail.text())) throw new PortInUseError('Redis', opts.port);
      throw new Error(`redis-server exited during startup (code ${child.exitCode ?? child.signalCode}):\n${tail.text()}`);
    }
    if ((await redisPing(opts.port, 500)) === '+PONG') break;
    if (Date.now() > deadline) {
      await terminate(child, 'SIGKILL', 1000);
      throw new Error(`redis-server did not answer PING on port ${opts.port} within ${opts.startTimeoutMs ?? 10_000} ms:\n${tail.text()}`);
    }
    await sleep(20);
  }

  const watchdog = startWatchdog(child.pid as number, 'TERM');
  let stopping: Promise<void> | undefined;
  child.once('exit', (code, signal) => {
    stopWatchdog(watchdog);
    if (!stopping) tail.add(`redis-server exited unexpectedly (${signal ?? `code ${code}`})`);
  });
  // Lifetime is explicit (stop() or the watchdog): a forgotten stop() must not keep the parent alive.
  child.unref();
  (child.stdout as Socket).unref();
  (child.stderr as Socket).unref();

  return {
    name: 'redis',
    url: `redis://${LOCAL_HOST}:${opts.port}`,
    stop: () => {
      // SIGTERM makes Redis flush the append-only file before exiting.
      stopping ??= terminate(child, 'SIGTERM', 10_000).finally(() => stopWatchdog(watchdog));
      return stopping;
    },
  };
}

/** One inline-protocol PING; returns the raw reply line or the connection error. */
export function redisPing(port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect({ host: LOCAL_HOST, port });
    const finish = (result: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) finish(reply.trim());
    });
    socket.on('error', (error) => finish(errorMessage(error)));
  });
}
