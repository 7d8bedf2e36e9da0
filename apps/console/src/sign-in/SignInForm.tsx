import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { loginIdFeedback, normalizeLoginId } from '@procura/credential-rules';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { ApiError, asApiError } from '../api/errors';
import type { SessionTokens, UserView } from '../api/types';
import { useSession } from '../session/SessionProvider';
import { fieldError, fieldErrorsOf, FormError } from '../ui/form-errors';

/**
 * Login id and password (seed 000: the 14-digit login id). The check digit is verified as the
 * user types, so a typo is said at once instead of after a refused attempt.
 */
export function SignInForm({
  initialLoginId = '',
  onSignedIn,
}: {
  initialLoginId?: string;
  onSignedIn: (user: UserView, tokens: SessionTokens) => void;
}) {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  const [loginId, setLoginId] = useState(initialLoginId);
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const feedback = loginIdFeedback(loginId);
  const digits = normalizeLoginId(loginId);
  const signIn = useMutation({
    mutationFn: async () => {
      const tokens = await ok(api.POST('/api/v1/auth/login', { body: { loginId: digits, password } }));
      const user = await signedIn(tokens, digits);
      return { tokens, user };
    },
    onSuccess: ({ user, tokens }) => {
      setPassword('');
      onSignedIn(user, tokens);
    },
  });
  const errors = fieldErrorsOf(signIn.error);
  const loginIdHint = {
    EMPTY: t('signIn.loginIdHint'),
    NOT_DIGITS: t('signIn.loginIdDigitsOnly'),
    INCOMPLETE: t('signIn.loginIdMissing', { count: 14 - digits.length }),
    TOO_LONG: t('signIn.loginIdTooLong'),
    CHECK_DIGIT_WRONG: t('signIn.loginIdCheckDigit'),
    WELL_FORMED: t('signIn.loginIdOk'),
  }[feedback];
  const loginIdInvalid =
    feedback === 'NOT_DIGITS' || feedback === 'TOO_LONG' || feedback === 'CHECK_DIGIT_WRONG' || (touched && feedback !== 'WELL_FORMED');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (feedback !== 'WELL_FORMED' || !password) return;
    signIn.mutate();
  };
  const apiError = signIn.error ? asApiError(signIn.error) : undefined;

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {apiError && !errors.loginId && (
          <FormError
            error={
              apiError.code === 'UNAUTHENTICATED'
                ? new ApiError({ ...apiError.problem, detail: t('signIn.failed'), code: undefined })
                : apiError
            }
          />
        )}
        <TextInput
          label={t('signIn.loginId')}
          value={loginId}
          onChange={(e) => setLoginId(e.currentTarget.value)}
          inputMode="numeric"
          autoComplete="username"
          required
          description={loginIdInvalid ? undefined : loginIdHint}
          error={loginIdInvalid ? loginIdHint : fieldError(errors, 'loginId')}
          maxLength={20}
        />
        <PasswordInput
          label={t('signIn.password')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          autoComplete="current-password"
          required
          error={touched && !password ? t('signIn.passwordRequired') : undefined}
        />
        <Button type="submit" loading={signIn.isPending}>
          {t('signIn.submit')}
        </Button>
      </Stack>
    </form>
  );
}
