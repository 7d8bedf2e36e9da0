/** A login id is 14 digits, the last one the Luhn check digit of the first 13 (seed 000). */
export const LOGIN_ID_LENGTH = 14;

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

export type LoginIdFeedback = 'EMPTY' | 'NOT_DIGITS' | 'INCOMPLETE' | 'TOO_LONG' | 'CHECK_DIGIT_WRONG' | 'WELL_FORMED';

/** What is wrong with a login id being typed (spaces between groups of digits are ignored). */
export function loginIdFeedback(typed: string): LoginIdFeedback {
  const value = normalizeLoginId(typed);
  if (value === '') return 'EMPTY';
  if (!/^\d+$/.test(value)) return 'NOT_DIGITS';
  if (value.length < LOGIN_ID_LENGTH) return 'INCOMPLETE';
  if (value.length > LOGIN_ID_LENGTH) return 'TOO_LONG';
  return isWellFormedLoginId(value) ? 'WELL_FORMED' : 'CHECK_DIGIT_WRONG';
}

/** The login id as typed, without the spaces people put between groups of digits. */
export function normalizeLoginId(typed: string): string {
  return typed.replace(/\s+/g, '');
}
