import { Modal, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { SignInForm } from '../sign-in/SignInForm';
import { useSession } from './SessionProvider';

/**
 * The session ended (it expired, or the server ended it): the sign-in form opens over the page,
 * which stays as it was, with what the user typed. The same person carries on where they were;
 * somebody else starts from the home page, with nothing of the previous person's work.
 */
export default function ReauthModal() {
  const { t } = useTranslation();
  const { session, me } = useSession();
  const navigate = useNavigate();
  return (
    <Modal
      opened={session.status === 'expired'}
      onClose={() => undefined}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title={t('session.expiredTitle')}
      centered
    >
      <Text size="sm" mb="md">
        {t('session.expiredText')}
      </Text>
      <SignInForm
        initialLoginId={session.loginId}
        onSignedIn={(user, tokens) => {
          if (tokens.scope !== 'full') void navigate(tokens.scope === 'password-change' ? '/first-login/password' : '/first-login/totp');
          else if (me && user.id !== me.id) void navigate('/');
        }}
      />
    </Modal>
  );
}
