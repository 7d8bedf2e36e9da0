import { isWellFormedLoginId, luhnCheckDigit } from '@procura/credential-rules';
import { ValidationFailedError } from '@procura/errors';
import { randomInt } from 'node:crypto';

export { isWellFormedLoginId, luhnCheckDigit } from '@procura/credential-rules';

/** A random (never sequential) login id: 13 random digits, the first non-zero, plus the check digit. */
export function generateLoginId(): string {
  let body = String(randomInt(1, 10));
  for (let i = 0; i < 12; i++) body += String(randomInt(0, 10));
  return body + String(luhnCheckDigit(body));
}

/** For reports: only the last four digits stay readable. */
export function maskLoginId(loginId: string): string {
  return `${'•'.repeat(loginId.length - 4)}${loginId.slice(-4)}`;
}

/** What a person typed to sign in: a 14-digit login id or an e-mail (stored lower-cased). */
export type SignInIdentifier = { loginId: string; email?: undefined } | { email: string; loginId?: undefined };

/**
 * A 14-digit login id (its check digit verified before any lookup, seed 000) or an e-mail;
 * anything else is a 400 naming `field`. Says nothing of whether such a person exists.
 */
export function parseSignInIdentifier(typed: string, field: string): SignInIdentifier {
  const trimmed = typed.trim();
  if (/^\d{14}$/.test(trimmed)) {
    if (!isWellFormedLoginId(trimmed))
      throw new ValidationFailedError([{ field, messages: [`${field} has a wrong check digit: check the 14 digits`] }]);
    return { loginId: trimmed };
  }
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(trimmed)) return { email: trimmed.toLowerCase() };
  throw new ValidationFailedError([{ field, messages: [`${field} must be a 14-digit login id or an e-mail address`] }]);
}
