import { ChangeOutcome } from '@procura/contracts';
import { Prisma } from '@procura/database';
import { DomainError } from '@procura/errors';

/** The target changed since the change was validated: the maker must look again and resubmit. */
export class StaleChangeError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = StaleChangeError.name;
  }
}

/** The stale check every handler makes on its target. */
export function checkVersion(targetVersion: number | undefined, what: string, current: number): void {
  if (targetVersion !== undefined && targetVersion !== current) {
    throw new StaleChangeError(
      `The ${what} changed since the change was submitted (version ${targetVersion}, now ${current}): submit it again`,
    );
  }
}

export interface Refusal {
  outcome: Exclude<ChangeOutcome, 'APPLIED'>;
  reason: string;
  code?: string;
}

/**
 * A refusal that retrying will not change: STALE (the target moved) or FAILED (a rule
 * broke, with the reason). Anything else (database down, another service unreachable)
 * is transient: undefined, and the caller retries.
 */
export function classifyRefusal(error: unknown): Refusal | undefined {
  if (error instanceof StaleChangeError) return { outcome: 'STALE', reason: error.reason };
  if (error instanceof DomainError && error.status < 500) {
    const detail = error.fields?.length ? ` (${error.fields.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ')})` : '';
    return { outcome: 'FAILED', reason: `${error.message}${detail}`, code: error.code };
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
    return { outcome: 'FAILED', reason: 'The change conflicts with data created meanwhile (already exists)', code: 'CONFLICT' };
  return undefined;
}
