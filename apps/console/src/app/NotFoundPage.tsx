import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useRouteError } from 'react-router';
import { ErrorState } from '../ui/states';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('notFound.title')}
      </Title>
      <Text>{t('notFound.hint')}</Text>
      <Anchor component={Link} to="/">
        {t('notFound.home')}
      </Anchor>
    </Stack>
  );
}

/** A page that failed to render (or to load after a new version was deployed). */
export function RouteErrorPage() {
  const error = useRouteError();
  const { t } = useTranslation();
  return (
    <Stack p="xl" maw={640}>
      <Title order={1} size="h2">
        {t('common.errorTitle')}
      </Title>
      <ErrorState error={error} onRetry={() => window.location.reload()} />
    </Stack>
  );
}
