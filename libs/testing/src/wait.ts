import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  timeoutMs: number;
  /** Delay between two probes; defaults to 50 ms. */
  intervalMs?: number;
  /** What is awaited, for the timeout message (e.g. "the welcome mail to alice@example.test"). */
  what: string;
}

/**
 * Probes until it returns something other than `undefined` or `false`, and returns it.
 * A probe that throws is retried (the thing may not exist yet); its last error is
 * reported if time runs out. A probe that hangs past the deadline fails the wait too.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, opts: WaitForOptions): Promise<T> {
  const intervalMs = opts.intervalMs ?? 50;
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const remaining = deadline - Date.now();
    try {
      const result = await withDeadline(probe(), remaining);
      if (result !== undefined && result !== false) return result;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? '' : `; last probe failed with: ${describe(lastError)}`;
      throw new Error(`Timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${cause}`, { cause: lastError });
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the probe did not settle before the deadline')), Math.max(0, ms));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}
