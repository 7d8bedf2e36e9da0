import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/** RFC 6238: 6 digits, 30-second steps, SHA-1 (what every authenticator app supports). */
export const TOTP_PERIOD_SECONDS = 30;
/** One step of clock drift either way. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;
export const TOTP_ISSUER = 'Procura';

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(label: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label, secret, period: TOTP_PERIOD_SECONDS, digits: 6 });
}

/**
 * The time step the code belongs to when it is valid now (±1 step) and newer than
 * `afterStep`; undefined otherwise. Callers store the step: a code is accepted once.
 */
export function acceptTotp(secret: string, code: string, nowMs: number, afterStep = 0): number | undefined {
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    period: TOTP_PERIOD_SECONDS,
    ...(afterStep > 0 ? { afterTimeStep: afterStep } : {}),
  });
  if (!result.valid) return undefined;
  // The HOTP half of otplib's union has no time step: derive it from the matched epoch when absent.
  return 'timeStep' in result ? (result as { timeStep: number }).timeStep : Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS) + result.delta;
}

/** The code of a given instant (demo data, tests). */
export function totpCodeAt(secret: string, epochMs: number): string {
  return generateSync({ secret, epoch: Math.floor(epochMs / 1000), period: TOTP_PERIOD_SECONDS });
}
