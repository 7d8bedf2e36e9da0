import { FieldError } from '@procura/errors';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_HISTORY_DEPTH = 5;

export interface PasswordPolicyInput {
  newPassword: string;
  confirmation: string;
  loginId?: string;
  firstName: string;
  lastName: string;
  /** True when the new password equals one of the last PASSWORD_HISTORY_DEPTH passwords (checked against hashes by the caller). */
  reusesRecentPassword: boolean;
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/**
 * The password policy, explained rule by rule: every failed rule is reported on the field
 * the user must fix, so the screen can say exactly what is wrong.
 */
export function checkPasswordPolicy(
  input: PasswordPolicyInput,
  field = 'newPassword',
  confirmationField = 'newPasswordConfirmation',
): FieldError[] {
  const messages: string[] = [];
  const candidate = fold(input.newPassword);
  if ([...input.newPassword].length < PASSWORD_MIN_LENGTH)
    messages.push(`${field} must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  if (input.loginId && candidate.includes(input.loginId)) messages.push(`${field} must not contain the login id`);
  for (const [label, name] of [
    ['first name', input.firstName],
    ['last name', input.lastName],
  ] as const) {
    // Each part of a compound name counts ("Jean-Pierre" → "jean", "pierre"); very short parts would forbid too much.
    const parts = fold(name)
      .split(/[\s'-]+/)
      .filter((p) => p.length >= 3);
    if (parts.some((p) => candidate.includes(p))) messages.push(`${field} must not contain your ${label}`);
  }
  if (input.reusesRecentPassword) messages.push(`${field} must not be one of your last ${PASSWORD_HISTORY_DEPTH} passwords`);
  const errors: FieldError[] = messages.length ? [{ field, messages }] : [];
  if (input.newPassword !== input.confirmation)
    errors.push({ field: confirmationField, messages: [`${confirmationField} must equal ${field}`] });
  return errors;
}
