// One running system for the e2e files that do not need one of their own (decision D4).
// The Jest global setup starts it in the background when the run includes such a file;
// every worker reaches it through sharedSystem(); the global teardown stops it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseLogLine, RunningSystem, SystemService, TestSystem } from './system';

/**
 * Settings of the shared system. Several e2e files send their traffic at once, all from
 * this machine's address: the per-address limits would be shared by unrelated tests
 * (the limits themselves are tested on private systems).
 */
export const SHARED_SYSTEM_ENV: Record<string, string> = {
  LOG_LEVEL: 'info',
  RATE_LIMIT_PER_MINUTE: '10000000',
  LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
  // EDI signatures due for their reminder are found within a second (seed-rules e2e, rule 9), not five minutes.
  EDI_SIGNATURE_REMINDER_SWEEP_SECONDS: '1',
  // Likewise credentials passing their end date (seed-rules e2e, rule 3), not within a minute.
  CREDENTIAL_EXPIRY_SWEEP_SECONDS: '1',
};

/** Where the global setup tells the workers how the shared system is doing. */
export const SHARED_SYSTEM_FILE_ENV = 'PROCURA_SHARED_SYSTEM_FILE';

interface SharedSystemState {
  state: 'starting' | 'ready' | 'failed';
  logDir: string;
  baseUrl?: string;
  databaseUrl?: string;
  redisUrl?: string;
  error?: string;
  startMs?: number;
}

/** The call an e2e file makes to use the shared system (the global setup looks for it). */
const USES_SHARED_SYSTEM = /\bsharedSystem\(/;

/**
 * Whether the run includes an e2e file that uses the shared system: every file under
 * test/e2e when no path pattern is given, else those the patterns select.
 */
export function runNeedsSharedSystem(rootDir: string, patterns: string[]): boolean {
  const e2eDir = join(rootDir, 'test', 'e2e');
  if (!existsSync(e2eDir)) return false;
  const selected = patterns.length ? new RegExp(patterns.join('|'), 'i') : undefined;
  return readdirSync(e2eDir)
    .filter((name) => name.endsWith('.e2e-spec.ts'))
    .map((name) => join(e2eDir, name))
    .filter((file) => !selected || selected.test(file))
    .some((file) => USES_SHARED_SYSTEM.test(readFileSync(file, 'utf8')));
}

/**
 * Starts the shared system without waiting for it (unit and integration tests run
 * meanwhile), reporting its state in `<dir>/shared-system.json`. Needs the run's
 * infrastructure in process.env. Returns how to stop it.
 */
export function launchSharedSystem(dir: string): { stateFile: string; stop(): Promise<void> } {
  const stateFile = join(dir, 'shared-system.json');
  const logDir = join(dir, 'shared-system-logs');
  const write = (state: SharedSystemState) => writeFileSync(stateFile, JSON.stringify(state));
  write({ state: 'starting', logDir });
  const began = Date.now();
  const starting = TestSystem.start({ env: SHARED_SYSTEM_ENV, logDir }).then(
    (system) => {
      write({
        state: 'ready',
        logDir,
        baseUrl: system.baseUrl,
        databaseUrl: system.databaseUrl,
        redisUrl: system.redisUrl,
        startMs: Date.now() - began,
      });
      return system;
    },
    (error: unknown) => {
      write({ state: 'failed', logDir, error: error instanceof Error ? error.message : String(error) });
      return undefined;
    },
  );
  return { stateFile, stop: async () => (await starting)?.stop() };
}

/** The shared system as an e2e file sees it: where it is and what it printed (read from its log files). */
export class SharedSystem implements RunningSystem {
  readonly baseUrl: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;

  constructor(private readonly state: Required<Pick<SharedSystemState, 'baseUrl' | 'databaseUrl' | 'redisUrl' | 'logDir'>>) {
    this.baseUrl = state.baseUrl;
    this.databaseUrl = state.databaseUrl;
    this.redisUrl = state.redisUrl;
  }

  logs(service?: SystemService): Array<Record<string, unknown>> {
    return this.lines(service).map(parseLogLine);
  }

  allOutput(): string {
    return this.lines().join('\n');
  }

  private lines(service?: SystemService): string[] {
    return readdirSync(this.state.logDir)
      .filter((name) => !service || name.startsWith(`${service}-`))
      .flatMap((name) => readFileSync(join(this.state.logDir, name), 'utf8').split('\n'))
      .filter(Boolean);
  }
}

let connecting: Promise<SharedSystem> | undefined;

/**
 * The run's shared system, waiting for it to be ready. E2e files use it unless they need
 * a private TestSystem; they keep to data of their own (their companies, users, operators)
 * and never stop it. The wait has no deadline of its own: the global setup's start follows
 * the services' progress and ends ready or failed; the hook's timeout is the backstop.
 */
export function sharedSystem(): Promise<SharedSystem> {
  connecting ??= (async () => {
    const file = process.env[SHARED_SYSTEM_FILE_ENV];
    if (!file)
      throw new Error(
        `${SHARED_SYSTEM_FILE_ENV} is not set: the Jest global setup starts the shared system when the run includes an e2e file that calls sharedSystem()`,
      );
    for (;;) {
      const state = JSON.parse(readFileSync(file, 'utf8')) as SharedSystemState;
      if (state.state === 'failed') throw new Error(`the shared system did not start: ${state.error}`);
      if (state.state === 'ready') return new SharedSystem(state as Required<SharedSystemState>);
      await sleep(250);
    }
  })();
  return connecting;
}

/** Timeout of the beforeAll hook that gets a system: the start itself fails when it stops progressing. */
export const SYSTEM_START_HOOK_TIMEOUT_MS = 20 * 60_000;
