import { Alert, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { ChangeItemInput, ChangePreviewView } from '../api/types';
import { useMe } from '../session/SessionProvider';
import { DiffInWords } from './DiffInWords';
import { PlannedPeople, plannedPeople } from './planned-people';
import { ErrorState, Loading } from './states';

/**
 * The preview of decision D2: the items validated exactly as submission will (nothing written),
 * what each would change, and who could approve them; the summary before confirming (seed 001).
 */
export function useChangePreview(items: ChangeItemInput[], enabled: boolean) {
  const { me } = useMe();
  return useQuery({
    queryKey: ['change-preview', me.companyId, items],
    enabled,
    retry: false,
    staleTime: 0,
    gcTime: 0,
    queryFn: () =>
      ok(
        api.POST('/api/v1/companies/{companyId}/change-requests/preview', {
          params: { path: { companyId: me.companyId } },
          body: { items },
        }),
      ),
  });
}

export function ChangeSummary({ preview }: { preview: ReturnType<typeof useChangePreview> }) {
  const { t } = useTranslation();
  if (preview.isPending) return <Loading label={t('summary.checking')} />;
  if (preview.isError) return <ErrorState error={preview.error} title={t('summary.refused')} />;
  const p = preview.data;
  return (
    <PlannedPeople.Provider value={plannedPeople(p.items)}>
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
    </PlannedPeople.Provider>
  );
}

export function Approvers({ preview }: { preview: ChangePreviewView }) {
  const { t } = useTranslation();
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
