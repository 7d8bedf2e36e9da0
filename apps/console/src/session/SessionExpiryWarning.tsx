import { Alert, Button, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import { useSession } from './SessionProvider';
import { sessionStore } from './session-store';

/** Warn this long before the session ends (it ends whatever the activity: the API's refresh-token lifetime). */
export const EXPIRY_WARNING_MS = 5 * 60_000;

/**
 * Says when the session is about to end, before it does, and ends it in the page at that
 * moment: the sign-in form then opens over the page, which keeps what was typed.
 */
export function SessionExpiryWarning() {
  const { t } = useTranslation();
  const format = useFormat();
  const { session } = useSession();
  const [now, setNow] = useState(() => Date.now());
  const [dismissedFor, setDismissedFor] = useState<number | undefined>();
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const endsAt = session.sessionExpiresAt;
  useEffect(() => {
    if (session.status === 'active' && endsAt && now >= endsAt) sessionStore.markExpired();
  }, [now, endsAt, session.status]);
  if (session.status !== 'active' || !endsAt || endsAt - now > EXPIRY_WARNING_MS || dismissedFor === endsAt) return null;
  return (
    <Alert color="yellow" variant="light" role="alert" mb="md" title={t('session.expiringTitle')}>
      <Text size="sm">{t('session.expiringText', { time: format.time(endsAt), relative: format.relative(endsAt) })}</Text>
      <Group mt="xs">
        <Button size="xs" variant="default" onClick={() => sessionStore.endNow()}>
          {t('session.renewNow')}
        </Button>
        <Button size="xs" variant="subtle" onClick={() => setDismissedFor(endsAt)}>
          {t('common.dismiss')}
        </Button>
      </Group>
    </Alert>
  );
}
