import { PASSWORD_HISTORY_DEPTH, PASSWORD_MIN_LENGTH, PasswordRule, passwordRuleChecks } from '@procura/credential-rules';
import { FieldError } from '@procura/errors';

export { PASSWORD_HISTORY_DEPTH, PASSWORD_MIN_LENGTH };

export interface PasswordPolicyInput {
  newPassword: string;
  confirmation: string;
  loginId?: string;
  firstName: string;
  lastName: string;
  /** True when the new password equals one of the last PASSWORD_HISTORY_DEPTH passwords (checked against hashes by the caller). */
  reusesRecentPassword: boolean;
}

/**
 * The password policy, explained rule by rule: every failed rule is reported on the field
 * the user must fix, so the screen can say exactly what is wrong. The rules themselves live
 * in @procura/credential-rules, which the console also runs as the user types.
 */
export function checkPasswordPolicy(
  input: PasswordPolicyInput,
  field = 'newPassword',
  confirmationField = 'newPasswordConfirmation',
): FieldError[] {
  const message: Record<Exclude<PasswordRule, 'CONFIRMED'>, string> = {
    MIN_LENGTH: `${field} must be at least ${PASSWORD_MIN_LENGTH} characters long`,
    NOT_LOGIN_ID: `${field} must not contain the login id`,
    NOT_FIRST_NAME: `${field} must not contain your first name`,
    NOT_LAST_NAME: `${field} must not contain your last name`,
    NOT_RECENT: `${field} must not be one of your last ${PASSWORD_HISTORY_DEPTH} passwords`,
  };
  const failed = passwordRuleChecks(input).filter((check) => !check.ok);
  const messages = failed.flatMap(({ rule }) => (rule === 'CONFIRMED' ? [] : [message[rule]]));
  const errors: FieldError[] = messages.length ? [{ field, messages }] : [];
  if (failed.some(({ rule }) => rule === 'CONFIRMED'))
    errors.push({ field: confirmationField, messages: [`${confirmationField} must equal ${field}`] });
  return errors;
}
