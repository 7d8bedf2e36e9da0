import { readCaughtMail as readCaughtMailFrom, type CaughtMail } from '@procura/infra';
import { waitFor } from './wait';

export type { CaughtMail } from '@procura/infra';

function catcherDir(dir: string | undefined): string {
  const resolved = dir ?? process.env.SMTP_CATCHER_DIR;
  if (!resolved) {
    throw new Error(
      'SMTP_CATCHER_DIR is not set: caught mail is only on disk with the default test infrastructure. ' +
        'With TEST_INFRA=testcontainers the mail goes to Mailpit (see MAILPIT_URL).',
    );
  }
  return resolved;
}

/** Every mail caught during this test run (oldest first), from `SMTP_CATCHER_DIR` unless `dir` is given. */
export function readCaughtMail(dir?: string): Promise<CaughtMail[]> {
  return readCaughtMailFrom(catcherDir(dir));
}

/** The first caught mail matching `predicate`; mail is sent asynchronously, so poll rather than read once. */
export function waitForMail(
  predicate: (mail: CaughtMail) => boolean,
  opts: { timeoutMs?: number; what?: string; dir?: string } = {},
): Promise<CaughtMail> {
  const dir = catcherDir(opts.dir);
  return waitFor(async () => (await readCaughtMailFrom(dir)).find(predicate), {
    timeoutMs: opts.timeoutMs ?? 10_000,
    what: opts.what ?? `a caught mail matching ${predicate.toString()}`,
  });
}
