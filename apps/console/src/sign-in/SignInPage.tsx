import { Anchor, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { LanguageSwitch } from '../app/Layout';
import { useSession } from '../session/SessionProvider';
import { SignInForm } from './SignInForm';

/** Only paths of this console are followed after sign-in (never another site). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function SignInPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  if (session.status === 'active' && session.scope === 'full') return <Navigate to={next} replace />;
  return (
    <Center mih="100vh" p="md" component="main">
      <Stack w="100%" maw={420}>
        <Group justify="space-between">
          <Text fw={700} size="xl">
            Procura
          </Text>
          <LanguageSwitch />
        </Group>
        <Paper withBorder p="lg" radius="md">
          <Title order={1} size="h3" mb="xs">
            {t('signIn.title')}
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            {t('signIn.intro')}
          </Text>
          <SignInForm
            initialLoginId={session.loginId}
            onSignedIn={(_user, tokens) => {
              if (tokens.scope === 'password-change') void navigate('/first-login/password');
              else if (tokens.scope === 'totp-enrolment') void navigate('/first-login/totp');
              else void navigate(next, { replace: true });
            }}
          />
        </Paper>
        <Text size="sm" c="dimmed">
          {t('signIn.help')}{' '}
          <Anchor href="/api/docs" size="sm">
            {t('signIn.apiDocs')}
          </Anchor>
        </Text>
      </Stack>
    </Center>
  );
}
