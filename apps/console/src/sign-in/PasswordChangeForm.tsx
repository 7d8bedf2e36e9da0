import { Button, PasswordInput, Stack } from '@mantine/core';
import { passwordRuleChecks } from '@procura/credential-rules';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { SessionTokens } from '../api/types';
import { fieldError, fieldErrorsOf, FormError } from '../ui/form-errors';
import { PasswordPolicyChecklist } from './PasswordPolicyChecklist';

/**
 * Changes the password (seed 000, first login: provisional password, new password, confirmation),
 * explaining the policy rule by rule as the user types. The server checks it again, with the
 * last passwords it alone knows, and its refusal is shown under the field it names.
 */
export function PasswordChangeForm({
  person,
  loginId,
  currentLabel,
  submitLabel,
  onChanged,
}: {
  person: { firstName: string; lastName: string };
  loginId?: string;
  currentLabel: string;
  submitLabel: string;
  onChanged: (tokens: SessionTokens) => void | Promise<void>;
}) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const checks = passwordRuleChecks({ newPassword: next, confirmation, loginId, firstName: person.firstName, lastName: person.lastName });
  const policyChecks = checks.filter((c) => c.rule !== 'CONFIRMED');
  const confirmed = checks.find((c) => c.rule === 'CONFIRMED')?.ok ?? false;
  const change = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/auth/password', { body: { currentPassword: current, newPassword: next, newPasswordConfirmation: confirmation } }),
      ),
    onSuccess: async (tokens) => {
      setCurrent('');
      setNext('');
      setConfirmation('');
      await onChanged(tokens);
    },
  });
  const errors = fieldErrorsOf(change.error);
  const policyKept = policyChecks.every((c) => c.ok);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    // The page refuses what it can see is wrong; the server decides the rest.
    if (!current || !policyKept || !confirmed) return;
    change.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={change.error} fields={['currentPassword', 'newPassword', 'newPasswordConfirmation']} />
        <PasswordInput
          label={currentLabel}
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          autoComplete="current-password"
          required
          error={fieldError(errors, 'currentPassword') ?? (submitted && !current ? t('common.required') : undefined)}
        />
        <PasswordInput
          label={t('password.new')}
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          autoComplete="new-password"
          required
          aria-describedby="password-policy"
          error={fieldError(errors, 'newPassword') ?? (submitted && !policyKept ? t('password.policyNotKept') : undefined)}
        />
        <PasswordPolicyChecklist id="password-policy" checks={policyChecks} length={[...next].length} />
        <PasswordInput
          label={t('password.confirmation')}
          value={confirmation}
          onChange={(e) => setConfirmation(e.currentTarget.value)}
          autoComplete="new-password"
          required
          error={
            fieldError(errors, 'newPasswordConfirmation') ??
            ((submitted || confirmation.length >= next.length) && confirmation && !confirmed ? t('password.rules.CONFIRMED') : undefined) ??
            (submitted && !confirmation ? t('common.required') : undefined)
          }
          description={confirmation && confirmed ? t('password.confirmed') : undefined}
        />
        <Button type="submit" loading={change.isPending}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}
