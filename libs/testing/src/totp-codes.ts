import { generateSync } from 'otplib';
import { waitFor } from './wait';

/**
 * TOTP codes as an authenticator app gives them, for tests that sign in or step up several times
 * with one secret: the server accepts each 30-second time step once and only steps newer than the
 * last one used (the current step or the next), so a code is taken from the first step not used
 * yet, waiting (by polling the clock) for the next step when both are spent.
 */
export class TotpCodes {
  private readonly lastStep = new Map<string, number>();

  async next(secret: string): Promise<string> {
    const step = await waitFor(
      async () => {
        const current = Math.floor(Date.now() / 30_000);
        const next = Math.max((this.lastStep.get(secret) ?? 0) + 1, current);
        return next <= current + 1 ? next : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 250, what: 'a fresh TOTP time step' },
    );
    this.lastStep.set(secret, step);
    return generateSync({ secret, epoch: step * 30 });
  }
}
