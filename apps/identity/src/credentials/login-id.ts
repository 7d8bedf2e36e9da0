import { randomInt } from 'node:crypto';

/** Luhn check digit of a string of digits (the digit to append so the whole passes Luhn). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // Walking from the right, the digit next to the future check digit is doubled first.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** 14 digits whose last one is the Luhn check digit of the first 13: catches every single-digit typo and most swaps. */
export function isWellFormedLoginId(loginId: string): boolean {
  return /^\d{14}$/.test(loginId) && luhnCheckDigit(loginId.slice(0, 13)) === Number(loginId[13]);
}

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
