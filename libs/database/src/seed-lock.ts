/** The part of an interactive Prisma transaction the lock needs. */
export interface SeedLockExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

/**
 * Serialises a demo seed across the replicas of a service: replicas start together and
 * each runs its seed at bootstrap, and a seed that reads "what exists" before creating
 * rows would otherwise let two replicas both create the same fixed ids (the second then
 * fails its transaction and the replica dies at start). Transaction-scoped advisory lock:
 * released at commit or rollback, never left behind by a crash.
 */
export async function lockSeed(tx: SeedLockExecutor, seed: string): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, `procura:seed:${seed}`);
}

/**
 * Interactive-transaction limits for a seed: Prisma's 5 s default counts the wait for the
 * lock above, and replicas starting together on a busy machine went past it.
 */
export const SEED_TRANSACTION = { maxWait: 30_000, timeout: 60_000 } as const;
