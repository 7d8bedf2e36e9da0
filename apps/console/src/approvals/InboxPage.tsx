import { Alert, Button, Group, Pagination, Stack, Textarea } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { ChangeRequestView, UserView } from '../api/types';
import { useMe } from '../session/SessionProvider';
import { fieldError, fieldErrorsOf, FormError } from '../ui/form-errors';
import { PageHeader } from '../ui/PageHeader';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { TotpField } from '../ui/TotpField';
import { ChangeRequestCard } from './ChangeRequestCard';

const PAGE_SIZE = 10;

/** Why I may not approve a request (the API's rules: never the maker, never a subject, each validator once), or undefined. */
export function whyNotApprovable(request: ChangeRequestView, me: UserView): 'MAKER' | 'SUBJECT' | 'ALREADY_APPROVED' | undefined {
  if (request.makerUserId === me.id) return 'MAKER';
  if (request.subjectUserIds.includes(me.id)) return 'SUBJECT';
  if (request.approvals.some((a) => (a as { validatorUserId?: string }).validatorUserId === me.id)) return 'ALREADY_APPROVED';
  return undefined;
}

/** The validators' inbox: pending requests of the company, approved with a TOTP code or rejected with a reason. */
export default function InboxPage() {
  const { t } = useTranslation();
  const { me } = useMe();
  const [page, setPage] = useState(1);
  const inbox = useQuery({
    queryKey: ['change-requests', me.companyId, 'PENDING', page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/companies/{companyId}/change-requests', {
          params: { path: { companyId: me.companyId }, query: { status: 'PENDING', page, pageSize: PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  return (
    <>
      <PageHeader title={t('inbox.title')} description={t('inbox.description')} />
      {inbox.isPending ? (
        <Loading />
      ) : inbox.isError ? (
        <ErrorState error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : inbox.data.items.length === 0 ? (
        <EmptyState title={t('inbox.empty')} hint={t('inbox.emptyHint')} />
      ) : (
        <Stack>
          {inbox.data.items.map((request) => (
            <ChangeRequestCard key={request.id} request={request}>
              <Decision request={request} me={me} />
            </ChangeRequestCard>
          ))}
          {inbox.data.total > PAGE_SIZE && (
            <Group justify="center">
              <Pagination
                total={Math.ceil(inbox.data.total / PAGE_SIZE)}
                value={page}
                onChange={setPage}
                getControlProps={(c) => ({ 'aria-label': t(`pagination.${c}`) })}
              />
            </Group>
          )}
        </Stack>
      )}
    </>
  );
}

function Decision({ request, me }: { request: ChangeRequestView; me: UserView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [totpCode, setTotpCode] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: ['change-requests'] });
  };
  const approve = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/change-requests/{id}/approve', { params: { path: { id: request.id } }, body: { totpCode } })),
    onSuccess: done,
  });
  const reject = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/change-requests/{id}/reject', { params: { path: { id: request.id } }, body: { reason } })),
    onSuccess: done,
  });
  const why = whyNotApprovable(request, me);
  if (why) {
    return (
      <Alert color="gray" variant="light" title={t('inbox.cannotApprove')} role="note">
        {t(`inbox.why.${why}`)}
      </Alert>
    );
  }
  if (approve.data)
    return (
      <Alert color="green" role="status">
        {approve.data.status === 'PENDING' ? t('inbox.approvedWaiting') : t('inbox.approved')}
      </Alert>
    );
  if (reject.data)
    return (
      <Alert color="gray" role="status">
        {t('inbox.rejected')}
      </Alert>
    );
  const approveErrors = fieldErrorsOf(approve.error);
  const submitApproval = (event: FormEvent) => {
    event.preventDefault();
    if (totpCode.length === 6) approve.mutate();
  };
  const submitRejection = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) reject.mutate();
  };
  return (
    <Stack gap="sm">
      <form onSubmit={submitApproval} noValidate aria-label={t('inbox.approveForm')}>
        <Group align="flex-end">
          <TotpField value={totpCode} onChange={setTotpCode} error={fieldError(approveErrors, 'totpCode')} />
          <Button type="submit" color="#1e6b2f" loading={approve.isPending} disabled={totpCode.length !== 6}>
            {t('inbox.approve')}
          </Button>
          <Button variant="default" onClick={() => setRejecting((r) => !r)} aria-expanded={rejecting}>
            {t('inbox.reject')}
          </Button>
        </Group>
      </form>
      <FormError error={approve.error} fields={['totpCode']} />
      {rejecting && (
        <form onSubmit={submitRejection} noValidate aria-label={t('inbox.rejectForm')}>
          <Stack gap="xs" maw={560}>
            <Textarea
              label={t('inbox.reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              required
              autosize
              minRows={2}
              error={fieldError(fieldErrorsOf(reject.error), 'reason')}
            />
            <Group>
              <Button type="submit" color="red" loading={reject.isPending} disabled={!reason.trim()}>
                {t('inbox.confirmReject')}
              </Button>
            </Group>
            <FormError error={reject.error} fields={['reason']} />
          </Stack>
        </form>
      )}
    </Stack>
  );
}
