import type { ChangeKind } from '@procura/contracts';

/** A change as the after-commit hook sees it: after the first commit, and again on every replay. */
export interface CommittedChange {
  kind: ChangeKind;
  itemId: string;
  companyId: string;
  followUp?: Record<string, unknown>;
}

/**
 * Work after the commit that makes the change visible elsewhere (compiled rights
 * invalidated, sessions ended in Redis). Runs again on every replay of the item, so it
 * must be idempotent; when it throws, the application is reported as failed transiently
 * and retried (the change itself stays recorded, the retry only repeats this).
 */
export abstract class ChangeAfterCommit {
  abstract afterCommit(change: CommittedChange): Promise<void>;
}
