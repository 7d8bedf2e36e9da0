import argon2 from 'argon2';

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). The benchmark
 * (bench/identity-login.bench.ts) measures the login path against these same parameters.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Verifies against a throw-away hash: an unknown login id costs the same time as a
 * wrong password, so response times do not tell which of the two was wrong.
 */
export async function burnVerification(password: string): Promise<false> {
  dummy ??= hashPassword('procura-timing-equaliser');
  await verifyPassword(await dummy, password);
  return false;
}
