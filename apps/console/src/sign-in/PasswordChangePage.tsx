import { Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import type { SessionTokens } from '../api/types';
import { useSession } from '../session/SessionProvider';
import { Loading } from '../ui/states';
import { FirstLoginFrame } from './FirstLoginFrame';
import { PasswordChangeForm } from './PasswordChangeForm';

/** First sign-in with the provisional password: the only thing the user may do is choose their own. */
export default function PasswordChangePage() {
  const { t } = useTranslation();
  const { session, me, signedIn } = useSession();
  const navigate = useNavigate();
  const [changed, setChanged] = useState<SessionTokens | undefined>();
  if (session.status === 'signed-out') return <Navigate to="/sign-in" replace />;
  if (changed) {
    // Seed 000: "Par la suite votre utilisateur devra confirmer en cliquant sur Terminer."
    return (
      <FirstLoginFrame
        step={changed.scope === 'totp-enrolment' ? 1 : 2}
        title={t('firstLogin.passwordChanged')}
        intro={t('firstLogin.passwordChangedIntro')}
      >
        <Stack>
          <Text>{changed.scope === 'totp-enrolment' ? t('firstLogin.totpNext') : t('firstLogin.allSet')}</Text>
          <Button onClick={() => void navigate(changed.scope === 'totp-enrolment' ? '/first-login/totp' : '/', { replace: true })}>
            {changed.scope === 'totp-enrolment' ? t('firstLogin.continue') : t('firstLogin.finish')}
          </Button>
        </Stack>
      </FirstLoginFrame>
    );
  }
  if (session.scope !== 'password-change') return <Navigate to="/" replace />;
  if (!me) return <Loading />;
  return (
    <FirstLoginFrame step={0} title={t('firstLogin.passwordTitle')} intro={t('firstLogin.passwordIntro')}>
      <PasswordChangeForm
        person={me}
        loginId={session.loginId}
        currentLabel={t('password.provisional')}
        submitLabel={t('password.submitFirst')}
        onChanged={async (tokens) => {
          // Shown first: the new session's scope would otherwise move the page on at once.
          setChanged(tokens);
          await signedIn(tokens, session.loginId ?? '');
        }}
      />
    </FirstLoginFrame>
  );
}
