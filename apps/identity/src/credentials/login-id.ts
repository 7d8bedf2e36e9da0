import { luhnCheckDigit } from '@procura/credential-rules';
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
