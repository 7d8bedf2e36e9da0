import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError } from '../api/errors';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" aria-hidden />
        <Text>{label ?? t('common.loading')}</Text>
      </Group>
    </Center>
  );
}

/** What went wrong, in words; an unexpected failure also shows the request id to quote to support. */
export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { t } = useTranslation();
  const apiError = asApiError(error);
  return (
    <Alert color="red" variant="light" title={title ?? t('common.errorTitle')} role="alert">
      <Stack gap="xs">
        <Text size="sm">{problemText(apiError, t)}</Text>
        {apiError.requestId && (
          <Text size="sm">
            {t('common.requestId')} <code>{apiError.requestId}</code>
          </Text>
        )}
        {onRetry && (
          <Group>
            <Button size="xs" variant="default" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** A problem's text for people: the known codes in the reader's language, otherwise the API's own words. */
export function problemText(error: ApiError, t: TFunction): string {
  if (error.status === 0) return t('common.networkError');
  if (error.status >= 500 && error.code !== 'SERVICE_UNAVAILABLE') return t('common.unexpected');
  const known = error.code ? t(`problems.${error.code}` as 'problems.EMAIL_ALREADY_USED', { defaultValue: '' }) : '';
  return known || error.message;
}

export function EmptyState({ title, hint, action }: { title: string; hint: string; action?: ReactNode }) {
  return (
    <Stack align="center" gap="xs" py="xl" ta="center">
      <Title order={3} size="h4">
        {title}
      </Title>
      <Text c="dimmed" maw={520}>
        {hint}
      </Text>
      {action}
    </Stack>
  );
}

/** Loading, error (with retry) or the content of a query. */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
