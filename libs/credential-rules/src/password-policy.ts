export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_HISTORY_DEPTH = 5;

/** The rules of the password policy, each explained on its own. */
export type PasswordRule = 'MIN_LENGTH' | 'NOT_LOGIN_ID' | 'NOT_FIRST_NAME' | 'NOT_LAST_NAME' | 'NOT_RECENT' | 'CONFIRMED';

export interface PasswordRuleInput {
  newPassword: string;
  confirmation: string;
  loginId?: string;
  firstName: string;
  lastName: string;
  /** Only the server knows (it compares with hashes); undefined leaves the rule out. */
  reusesRecentPassword?: boolean;
}

export interface PasswordRuleCheck {
  rule: PasswordRule;
  ok: boolean;
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Parts of a name that a password may not contain ("Jean-Pierre" → "jean", "pierre"; very short parts would forbid too much). */
function nameParts(name: string): string[] {
  return fold(name)
    .split(/[\s'-]+/)
    .filter((p) => p.length >= 3);
}

/** Every rule of the policy with whether the password keeps it, in the order they are explained. */
export function passwordRuleChecks(input: PasswordRuleInput): PasswordRuleCheck[] {
  const candidate = fold(input.newPassword);
  const checks: PasswordRuleCheck[] = [
    { rule: 'MIN_LENGTH', ok: [...input.newPassword].length >= PASSWORD_MIN_LENGTH },
    { rule: 'NOT_LOGIN_ID', ok: !(input.loginId && candidate.includes(input.loginId)) },
    { rule: 'NOT_FIRST_NAME', ok: !nameParts(input.firstName).some((p) => candidate.includes(p)) },
    { rule: 'NOT_LAST_NAME', ok: !nameParts(input.lastName).some((p) => candidate.includes(p)) },
  ];
  if (input.reusesRecentPassword !== undefined) checks.push({ rule: 'NOT_RECENT', ok: !input.reusesRecentPassword });
  checks.push({ rule: 'CONFIRMED', ok: input.newPassword === input.confirmation });
  return checks;
}
