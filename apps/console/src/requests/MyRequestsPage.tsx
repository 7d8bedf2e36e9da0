import { Button, Group, Select, Stack } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { ChangeRequestView } from '../api/types';
import { ChangeRequestCard } from '../approvals/ChangeRequestCard';
import { useMe } from '../session/SessionProvider';
import { RevealOnce } from '../ui/ChangeOutcome';
import { FormError } from '../ui/form-errors';
import { ListPagination } from '../ui/ListPagination';
import { PageHeader } from '../ui/PageHeader';
import { EmptyState, ErrorState, Loading } from '../ui/states';

const PAGE_SIZE = 10;
const STATUSES = ['PENDING', 'APPROVED', 'APPLIED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'STALE', 'FAILED'] as const;
type Status = (typeof STATUSES)[number];

/** The requests I made (seed 002: "modifications qui n'ont pas encore été traitées"), their statuses, cancel. */
export default function MyRequestsPage() {
  const { t } = useTranslation();
  const { me } = useMe();
  const [status, setStatus] = useState<Status | ''>('');
  const [page, setPage] = useState(1);
  const requests = useQuery({
    queryKey: ['change-requests', me.companyId, 'mine', status, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/companies/{companyId}/change-requests', {
          params: {
            path: { companyId: me.companyId },
            query: { makerUserId: me.id, status: status || undefined, page, pageSize: PAGE_SIZE },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((r) => r.status === 'PENDING' || r.status === 'APPROVED') ? 10_000 : false),
  });
  return (
    <>
      <PageHeader title={t('requests.title')} description={t('requests.description')} />
      <Select
        label={t('requests.status')}
        value={status}
        onChange={(v) => {
          setStatus((v ?? '') as Status | '');
          setPage(1);
        }}
        data={[{ value: '', label: t('requests.allStatuses') }, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
        allowDeselect={false}
        w={220}
        mb="md"
      />
      {requests.isPending ? (
        <Loading />
      ) : requests.isError ? (
        <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />
      ) : requests.data.items.length === 0 ? (
        <EmptyState title={t('requests.empty')} hint={t('requests.emptyHint')} />
      ) : (
        <Stack>
          {requests.data.items.map((request) => (
            <ChangeRequestCard key={request.id} request={request}>
              <MyRequestActions request={request} />
            </ChangeRequestCard>
          ))}
          <ListPagination total={requests.data.total} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
        </Stack>
      )}
    </>
  );
}

function MyRequestActions({ request }: { request: ChangeRequestView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/change-requests/{id}/cancel', { params: { path: { id: request.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['change-requests'] }),
  });
  const secrets = request.revealOnce as Record<string, string> | undefined;
  return (
    <>
      {secrets && Object.keys(secrets).length > 0 && <RevealOnce secrets={secrets} />}
      {request.status === 'PENDING' && (
        <Group>
          <Button
            variant="default"
            color="red"
            loading={cancel.isPending}
            onClick={() => window.confirm(t('requests.cancelConfirm')) && cancel.mutate()}
          >
            {t('requests.cancel')}
          </Button>
        </Group>
      )}
      <FormError error={cancel.error} />
    </>
  );
}
