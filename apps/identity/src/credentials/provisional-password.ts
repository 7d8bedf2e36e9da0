import { randomInt } from 'node:crypto';

// No 0/O, 1/l/I: the password is read from an SMS or a screen and typed by hand.
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const ALL = UPPER + LOWER + DIGITS;

/**
 * A provisional password: 3 groups of 4 readable characters joined by dashes (14
 * characters, about 71 bits), with at least one capital, one small letter and one digit.
 */
export function generateProvisionalPassword(): string {
  for (;;) {
    const chars = Array.from({ length: 12 }, () => ALL[randomInt(0, ALL.length)]);
    const s = chars.join('');
    if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s)) return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
  }
}
