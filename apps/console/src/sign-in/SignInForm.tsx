import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { loginIdFeedback, normalizeLoginId } from '@procura/credential-rules';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { ApiError, asApiError } from '../api/errors';
import type { SessionTokens, UserView } from '../api/types';
import { useSession } from '../session/SessionProvider';
import { fieldError, fieldErrorsOf, FormError } from '../ui/form-errors';
import { TotpField } from '../ui/TotpField';

/** What makes the typed identifier an e-mail rather than a login id (the server says the rest). */
const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Login id or e-mail, and password (seed 000: the 14-digit login id; seed 003: the e-mail where
 * the company signs in with it), then the code of the authenticator app when the credential
 * has TOTP enrolled (seed 001: Sécur'Pass at sign-in). A login id's check digit is verified as
 * the user types, so a typo is said at once instead of after a refused attempt.
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
  // Letters or an @: an e-mail (seed 003), not a mistyped login id.
  const typedEmail = /[a-z@]/i.test(loginId);
  const feedback = loginIdFeedback(loginId);
  const digits = normalizeLoginId(loginId);
  // What is sent and remembered for signing in again: the e-mail as typed, or the login id's digits.
  const identifier = typedEmail ? loginId.trim() : digits;
  const emailWellFormed = EMAIL_SHAPE.test(identifier);
  // The password's answer when a TOTP code must follow: its token may only verify the code.
  const [challenge, setChallenge] = useState<SessionTokens | undefined>();
  const [code, setCode] = useState('');
  const finish = async (tokens: SessionTokens) => {
    const user = await signedIn(tokens, identifier);
    return { tokens, user };
  };
  const done = ({ user, tokens }: { user: UserView; tokens: SessionTokens }) => {
    setPassword('');
    setCode('');
    setChallenge(undefined);
    onSignedIn(user, tokens);
  };
  const signIn = useMutation({
    mutationFn: async () => {
      const tokens = await ok(api.POST('/api/v1/auth/login', { body: { login: identifier, password } }));
      if (tokens.scope === 'totp-verification') return { challenge: tokens };
      return finish(tokens);
    },
    onSuccess: (result) => {
      if ('challenge' in result) {
        setPassword('');
        setChallenge(result.challenge);
      } else done(result);
    },
  });
  const verify = useMutation({
    mutationFn: async () =>
      finish(
        await ok(
          api.POST('/api/v1/auth/totp/verify', {
            body: { code },
            headers: { Authorization: `Bearer ${challenge!.accessToken}` },
          }),
        ),
      ),
    onSuccess: done,
    onError: (error) => {
      // The password's half expired (or was locked by wrong codes): start again from the password.
      if (asApiError(error).status === 401) {
        setChallenge(undefined);
        setCode('');
      }
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
  const identifierHint = typedEmail ? (emailWellFormed ? t('signIn.emailHint') : t('signIn.emailInvalid')) : loginIdHint;
  const identifierInvalid = typedEmail
    ? touched && !emailWellFormed
    : feedback === 'NOT_DIGITS' || feedback === 'TOO_LONG' || feedback === 'CHECK_DIGIT_WRONG' || (touched && feedback !== 'WELL_FORMED');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if ((typedEmail ? !emailWellFormed : feedback !== 'WELL_FORMED') || !password) return;
    verify.reset();
    signIn.mutate();
  };
  const apiError = signIn.error ? asApiError(signIn.error) : undefined;

  if (challenge) {
    const submitCode = (event: FormEvent) => {
      event.preventDefault();
      if (code.length === 6) verify.mutate();
    };
    const codeErrors = fieldErrorsOf(verify.error);
    return (
      <form onSubmit={submitCode} noValidate>
        <Stack>
          <Text size="sm">{t('signIn.codeIntro', { loginId: identifier })}</Text>
          <FormError error={verify.error} fields={['code']} />
          <TotpField value={code} onChange={setCode} error={fieldError(codeErrors, 'code')} autoFocus />
          <Button type="submit" loading={verify.isPending} disabled={code.length !== 6}>
            {t('signIn.submit')}
          </Button>
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => {
              setChallenge(undefined);
              setCode('');
              verify.reset();
            }}
          >
            {t('signIn.startAgain')}
          </Anchor>
        </Stack>
      </form>
    );
  }

  const verificationExpired = verify.error !== null && asApiError(verify.error).status === 401;
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {verificationExpired && !signIn.error && (
          <Alert color="yellow" variant="light" role="alert">
            {t('signIn.expiredStartAgain')}
          </Alert>
        )}
        {apiError && !errors.login && !errors.loginId && (
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
          // Not numeric: an e-mail needs the letters and the @.
          inputMode="text"
          autoComplete="username"
          required
          description={identifierInvalid ? undefined : identifierHint}
          error={identifierInvalid ? identifierHint : fieldError(errors, 'login', 'loginId')}
          maxLength={254}
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
