import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What globalSetup started; kept on globalThis because Jest runs teardown in the same process. */
export interface TestInfra {
  provider: 'local' | 'testcontainers';
  /** The run's temporary directory (PROCURA_TEST_DIR), removed at teardown. */
  dir: string;
  /** Exported to process.env, hence to the Jest workers. */
  env: Record<string, string>;
  services: { name: string; stop(): Promise<void> }[];
}

const KEY = Symbol.for('procura.testInfra');
type Registry = { [KEY]?: TestInfra };

const SHARED = Symbol.for('procura.sharedSystem');
type SharedRegistry = { [SHARED]?: { stop(): Promise<void> } };

/** The shared e2e system the global setup started, for the teardown (same process). */
export function keepSharedSystem(system: { stop(): Promise<void> }): void {
  (globalThis as SharedRegistry)[SHARED] = system;
}

export function takeSharedSystem(): { stop(): Promise<void> } | undefined {
  const registry = globalThis as SharedRegistry;
  const system = registry[SHARED];
  delete registry[SHARED];
  return system;
}

export function keepTestInfra(infra: TestInfra): void {
  (globalThis as Registry)[KEY] = infra;
}

export function takeTestInfra(): TestInfra | undefined {
  const registry = globalThis as Registry;
  const infra = registry[KEY];
  delete registry[KEY];
  return infra;
}

/** Stops everything even when some stops fail, then reports the failures together. */
export async function stopTestInfra(infra: Pick<TestInfra, 'dir' | 'services'>): Promise<void> {
  const results = await Promise.allSettled(infra.services.map((service) => service.stop()));
  await rm(infra.dir, { recursive: true, force: true });
  const failures = results.flatMap((result, i) =>
    result.status === 'rejected' ? [`${infra.services[i].name}: ${errorText(result.reason)}`] : [],
  );
  if (failures.length) throw new Error(`Could not stop the test infrastructure cleanly:\n${failures.join('\n')}`);
}

/** Starts services concurrently; if one fails, stops those that started and rethrows. */
export async function startAll<T extends { name: string; stop(): Promise<void> }>(
  dir: string,
  starters: { name: string; start: () => Promise<T> }[],
): Promise<T[]> {
  const results = await Promise.allSettled(starters.map(({ start }) => start()));
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failures = results.flatMap((result, i) =>
    result.status === 'rejected' ? [`${starters[i].name}: ${errorText(result.reason)}`] : [],
  );
  if (failures.length) {
    await stopTestInfra({ dir, services: started }).catch(() => undefined);
    throw new Error(`Could not start the test infrastructure:\n${failures.join('\n\n')}`);
  }
  return started;
}

export function errorText(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}

const OWNER_FILE = '.owner-pid';

/** Marks the run's directory with our PID, so a later run knows when it was abandoned. */
export async function claimTestDir(dir: string): Promise<void> {
  await writeFile(join(dir, OWNER_FILE), String(process.pid));
}

/** Removes directories left by runs that died before their teardown (Ctrl-C, crash). */
export async function removeAbandonedTestDirs(parent: string, prefix: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith(prefix))
      .map(async (name) => {
        const dir = join(parent, name);
        const owner = Number(await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => ''));
        if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) return;
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      }),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}
