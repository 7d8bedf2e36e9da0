import { Alert, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { ApiError } from '../api/errors';
import type { ChangeItemInput } from '../api/types';
import { useMe } from '../session/SessionProvider';
import { DiffInWords } from './DiffInWords';
import { ErrorState, Loading } from './states';

/** What the preview of decision D2 answers: exactly what submission would record, and who can approve it. */
export interface ChangePreview {
  items: Array<{ position: number; kind: string; ref?: string; summary: string; diff: Record<string, unknown>; subjectUserIds: string[] }>;
  /** Unknown when only the older single-authorization preview could answer. */
  appliesImmediately?: boolean;
  requiredApprovals?: number;
  eligibleValidators?: Array<{ userId: string; firstName: string; lastName: string }>;
}

/** Validates the items exactly as submission will (nothing written): the summary before confirming (seed 001). */
export function useChangePreview(items: ChangeItemInput[], enabled: boolean) {
  const { me } = useMe();
  return useQuery({
    queryKey: ['change-preview', me.companyId, items],
    enabled,
    retry: false,
    staleTime: 0,
    gcTime: 0,
    queryFn: async (): Promise<ChangePreview> => {
      // Typed loosely on purpose: the composite preview (D2) is added by the "Change kit" work.
      const post = api.POST as unknown as (
        path: string,
        init: object,
      ) => Promise<{ data?: ChangePreview; error?: unknown; response: Response }>;
      try {
        return await ok(
          post('/api/v1/companies/{companyId}/change-requests/preview', { params: { path: { companyId: me.companyId } }, body: { items } }),
        );
      } catch (error) {
        // Before the composite preview exists, a lone new authorization still has the wizard's own preview.
        const single = items.length === 1 && items[0].kind === 'AUTHORIZATION_CREATE';
        if (!(error instanceof ApiError && error.status === 404 && error.code === 'NOT_FOUND' && single)) throw error;
        const checked = await ok(
          api.POST('/api/v1/companies/{companyId}/authorizations/preview', {
            params: { path: { companyId: me.companyId } },
            body: items[0].payload as never,
          }),
        );
        return {
          items: [
            {
              position: 0,
              kind: 'AUTHORIZATION_CREATE',
              summary: checked.summary,
              diff: checked.diff,
              subjectUserIds: checked.subjectUserIds,
            },
          ],
        };
      }
    },
  });
}

export function ChangeSummary({ preview }: { preview: ReturnType<typeof useChangePreview> }) {
  const { t } = useTranslation();
  if (preview.isPending) return <Loading label={t('summary.checking')} />;
  if (preview.isError) {
    const error = preview.error;
    if (error instanceof ApiError && error.status === 404 && error.code === 'NOT_FOUND')
      return <Alert color="gray">{t('summary.previewUnavailable')}</Alert>;
    return <ErrorState error={error} title={t('summary.refused')} />;
  }
  const p = preview.data;
  return (
    <Stack>
      {p.items.map((item) => (
        <Paper key={item.position} withBorder p="sm">
          <Title order={3} size="h5" mb={4}>
            {t(`kinds.${item.kind}` as 'kinds.USER_CREATE', { defaultValue: item.kind })}
          </Title>
          <DiffInWords diff={item.diff} />
        </Paper>
      ))}
      <Approvers preview={p} />
    </Stack>
  );
}

export function Approvers({ preview }: { preview: ChangePreview }) {
  const { t } = useTranslation();
  if (preview.appliesImmediately === undefined || !preview.eligibleValidators) return null;
  if (preview.appliesImmediately)
    return (
      <Alert color="blue" variant="light">
        {t('summary.immediate')}
      </Alert>
    );
  return (
    <Alert color="yellow" variant="light" title={t('summary.needsApproval', { count: preview.requiredApprovals })}>
      {preview.eligibleValidators.length ? (
        <>
          <Text size="sm">{t('summary.whoCanApprove')}</Text>
          <List size="sm">
            {preview.eligibleValidators.map((v) => (
              <List.Item key={v.userId}>
                {v.firstName} {v.lastName}
              </List.Item>
            ))}
          </List>
        </>
      ) : (
        <Text size="sm">{t('summary.nobodyCanApprove')}</Text>
      )}
    </Alert>
  );
}
