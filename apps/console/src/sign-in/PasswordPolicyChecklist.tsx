import { List, Text, ThemeIcon } from '@mantine/core';
import { PASSWORD_HISTORY_DEPTH, PASSWORD_MIN_LENGTH, type PasswordRuleCheck } from '@procura/credential-rules';
import { useTranslation } from 'react-i18next';

/** The policy, rule by rule, each marked kept or not as the user types (read out politely by screen readers). */
export function PasswordPolicyChecklist({ id, checks, length }: { id: string; checks: PasswordRuleCheck[]; length: number }) {
  const { t } = useTranslation();
  const label = (rule: PasswordRuleCheck['rule']) =>
    ({
      MIN_LENGTH: t('password.rules.MIN_LENGTH', { min: PASSWORD_MIN_LENGTH, count: length }),
      NOT_LOGIN_ID: t('password.rules.NOT_LOGIN_ID'),
      NOT_FIRST_NAME: t('password.rules.NOT_FIRST_NAME'),
      NOT_LAST_NAME: t('password.rules.NOT_LAST_NAME'),
      NOT_RECENT: t('password.rules.NOT_RECENT', { depth: PASSWORD_HISTORY_DEPTH }),
      CONFIRMED: t('password.rules.CONFIRMED'),
    })[rule];
  return (
    <div id={id} aria-live="polite">
      <Text size="sm" fw={600} mb={4}>
        {t('password.policyTitle')}
      </Text>
      <List size="sm" spacing={4} center>
        {checks.map(({ rule, ok }) => (
          <List.Item
            key={rule}
            icon={
              <ThemeIcon size={18} radius="xl" color={ok ? '#1e6b2f' : 'red.9'} aria-hidden>
                <span style={{ fontSize: 11, lineHeight: 1 }}>{ok ? '✓' : '✗'}</span>
              </ThemeIcon>
            }
          >
            <Text size="sm" c={ok ? '#1e6b2f' : 'red.9'}>
              {label(rule)} <span className="visually-hidden">{ok ? t('password.kept') : t('password.notKept')}</span>
            </Text>
          </List.Item>
        ))}
        <List.Item
          icon={
            <ThemeIcon size={18} radius="xl" color="gray.7" aria-hidden>
              <span style={{ fontSize: 11 }}>i</span>
            </ThemeIcon>
          }
        >
          <Text size="sm">
            {t('password.rules.NOT_RECENT', { depth: PASSWORD_HISTORY_DEPTH })} {t('password.checkedOnSubmit')}
          </Text>
        </List.Item>
      </List>
    </div>
  );
}
