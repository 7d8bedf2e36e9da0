// Starts PostgreSQL (migrated), Redis and the SMTP catcher once per Jest run, in a fresh
// temporary directory, and exports their URLs through process.env to every worker.
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningService } from '@procura/infra';
import { builtLibrary } from './built-library';
import { createTemplateDatabase } from '../scratch-database';
import {
  claimTestDir,
  errorText,
  keepSharedSystem,
  keepTestInfra,
  removeAbandonedTestDirs,
  startAll,
  stopTestInfra,
  type TestInfra,
} from './test-infra';

// Jest loads the global setup with Node's own resolver, which knows nothing of the
// `@procura/*` paths: it takes the libraries from the build, as the services do.
const { migrate } = builtLibrary('database');
const { REDIS_INSTALL_HINT, RedisNotInstalledError, findFreePorts, startPostgres, startRedis, startSmtpCatcher } = builtLibrary('infra');

const TEST_DATABASE = 'procura_test';
const DIR_PREFIX = 'procura-test-';

type Timed<T> = T & { startMs: number };

async function timed<T extends object>(start: () => Promise<T>): Promise<Timed<T>> {
  const began = Date.now();
  const value = await start();
  return Object.assign(value, { startMs: Date.now() - began });
}

async function startLocalInfra(dir: string): Promise<{ infra: TestInfra; timings: string }> {
  // Under root PostgreSQL runs as the postgres user, which must traverse this directory.
  await chmod(dir, 0o755);
  const [pgPort, redisPort, smtpPort] = await findFreePorts(3);
  const mailDir = join(dir, 'mail');
  const externalRedis = process.env.TEST_REDIS_URL;

  const [postgres, redis, catcher] = await startAll<Timed<RunningService> & { adminUrl?: string }>(dir, [
    {
      name: 'postgres',
      start: () =>
        timed(() =>
          startPostgres({ dataDir: join(dir, 'postgres'), port: pgPort, database: TEST_DATABASE, user: 'procura', password: 'procura' }),
        ),
    },
    {
      name: 'redis',
      start: () =>
        externalRedis
          ? Promise.resolve({ name: 'redis', url: externalRedis, stop: async () => undefined, startMs: 0 })
          : timed(() => startRedis({ dataDir: join(dir, 'redis'), port: redisPort, redisServerBin: process.env.REDIS_SERVER_BIN })).catch(
              (error: unknown) => {
                if (!(error instanceof RedisNotInstalledError)) throw error;
                // Not REDIS_URL: the tests would share (and may flush) the development server.
                throw new Error(
                  `${error.detail} ${REDIS_INSTALL_HINT}, set TEST_REDIS_URL to a Redis server the tests may flush, or run with TEST_INFRA=testcontainers.`,
                );
              },
            ),
    },
    { name: 'smtp-catcher', start: () => timed(() => startSmtpCatcher({ dataDir: mailDir, smtpPort })) },
  ]);

  return {
    infra: {
      provider: 'local',
      dir,
      services: [postgres, redis, catcher],
      env: {
        DATABASE_URL: postgres.url,
        PG_ADMIN_URL: postgres.adminUrl as string,
        REDIS_URL: redis.url,
        SMTP_URL: catcher.url,
        SMTP_CATCHER_DIR: mailDir,
      },
    },
    timings: `postgres ${postgres.startMs} ms, redis ${externalRedis ? `external ${externalRedis}` : `${redis.startMs} ms`}, smtp ${catcher.startMs} ms`,
  };
}

async function startContainers(dir: string): Promise<{ infra: TestInfra; timings: string }> {
  // Required lazily: testcontainers is heavy and only this mode needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startContainerInfra } = require('./testcontainers.provider') as typeof import('./testcontainers.provider');
  return { infra: await startContainerInfra(dir), timings: 'containers' };
}

/** The path patterns of the run (Jest 30 passes them as TestPathPatterns, serialised or not). */
function pathPatternsOf(globalConfig: { testPathPatterns?: { patterns?: string[] } | string[] }): string[] {
  const patterns = globalConfig.testPathPatterns;
  if (Array.isArray(patterns)) return patterns;
  return patterns?.patterns ?? [];
}

export default async function globalSetup(globalConfig: {
  rootDir: string;
  testPathPatterns?: { patterns?: string[] } | string[];
}): Promise<void> {
  const began = Date.now();
  process.env.TZ = 'UTC';
  const provider = process.env.TEST_INFRA ?? 'local';
  if (provider !== 'local' && provider !== 'testcontainers') {
    throw new Error(`TEST_INFRA=${provider} is not supported: use "local" (default, embedded services) or "testcontainers".`);
  }

  await removeAbandonedTestDirs(tmpdir(), DIR_PREFIX);
  const dir = await mkdtemp(join(tmpdir(), DIR_PREFIX));
  await claimTestDir(dir);
  const { infra, timings } = provider === 'testcontainers' ? await startContainers(dir) : await startLocalInfra(dir);

  const migrationLog: string[] = [];
  const migrationBegan = Date.now();
  let applied: string[];
  try {
    ({ applied } = await migrate({ databaseUrl: infra.env.DATABASE_URL, log: (msg) => migrationLog.push(msg) }));
  } catch (error) {
    await stopTestInfra(infra).catch(() => undefined);
    throw new Error(`Migrating the test database failed: ${errorText(error)}\n${migrationLog.join('\n')}`, { cause: error });
  }
  try {
    await createTemplateDatabase(infra.env.PG_ADMIN_URL, new URL(infra.env.DATABASE_URL).pathname.slice(1));
  } catch (error) {
    await stopTestInfra(infra).catch(() => undefined);
    throw new Error(`Creating the template database failed: ${errorText(error)}`, { cause: error });
  }

  keepTestInfra(infra);
  Object.assign(process.env, infra.env, { PROCURA_TEST_DIR: dir });
  process.stdout.write(
    `\n[procura-test] ${provider} infrastructure ready in ${Date.now() - began} ms ` +
      `(${timings}, ${applied.length} migrations ${Date.now() - migrationBegan} ms) in ${dir}\n`,
  );

  // Started in the background: unit and integration tests run while the services boot.
  const { launchSharedSystem, runNeedsSharedSystem, SHARED_SYSTEM_FILE_ENV } = builtLibrary('testing');
  if (runNeedsSharedSystem(globalConfig.rootDir, pathPatternsOf(globalConfig))) {
    const shared = launchSharedSystem(dir);
    keepSharedSystem(shared);
    process.env[SHARED_SYSTEM_FILE_ENV] = shared.stateFile;
    process.stdout.write('[procura-test] starting the shared e2e system in the background\n');
  }
}
