import { Alert, Button, Group, Stack, Textarea } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { ChangeRequestView, UserView } from '../api/types';
import { useMe } from '../session/SessionProvider';
import { fieldError, fieldErrorsOf, FormError } from '../ui/form-errors';
import { ListPagination } from '../ui/ListPagination';
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

/** A request decided on this page: it leaves the pending list, but its outcome stays in view until the page is left. */
interface Decided {
  request: ChangeRequestView;
  decision: 'APPROVED' | 'REJECTED';
}

/** The validators' inbox: pending requests of the company, approved with a TOTP code or rejected with a reason. */
export default function InboxPage() {
  const { t } = useTranslation();
  const { me } = useMe();
  const [page, setPage] = useState(1);
  const [decided, setDecided] = useState<Decided[]>([]);
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
  const decidedIds = new Set(decided.map((d) => d.request.id));
  const pending = inbox.data?.items.filter((r) => !decidedIds.has(r.id)) ?? [];
  const onDecided = (entry: Decided) => setDecided((list) => [entry, ...list.filter((d) => d.request.id !== entry.request.id)]);
  return (
    <>
      <PageHeader title={t('inbox.title')} description={t('inbox.description')} />
      <Stack>
        {decided.length > 0 && (
          <Stack gap="sm" component="section" aria-label={t('inbox.decidedNow')}>
            {decided.map(({ request, decision }) => (
              <ChangeRequestCard key={request.id} request={request}>
                <Outcome request={request} decision={decision} />
              </ChangeRequestCard>
            ))}
          </Stack>
        )}
        {inbox.isPending ? (
          <Loading />
        ) : inbox.isError ? (
          <ErrorState error={inbox.error} onRetry={() => void inbox.refetch()} />
        ) : pending.length === 0 ? (
          <EmptyState title={t('inbox.empty')} hint={t('inbox.emptyHint')} />
        ) : (
          <>
            {pending.map((request) => (
              <ChangeRequestCard key={request.id} request={request}>
                <Decision request={request} me={me} onDecided={onDecided} />
              </ChangeRequestCard>
            ))}
            <ListPagination total={inbox.data.total} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
          </>
        )}
      </Stack>
    </>
  );
}

/** What became of a request I just decided, in words (applied, waiting for others, failed with its reason, rejected). */
function Outcome({ request, decision }: Decided) {
  const { t } = useTranslation();
  if (decision === 'REJECTED')
    return (
      <Alert color="gray" role="status">
        {t('inbox.rejected')}
      </Alert>
    );
  const text =
    request.status === 'APPLIED'
      ? t('inbox.approved')
      : request.status === 'PENDING'
        ? t('inbox.approvedWaiting')
        : request.status === 'FAILED' || request.status === 'STALE'
          ? t('inbox.approvedNotApplied', { reason: request.reason ?? request.items.find((i) => i.reason)?.reason ?? '' })
          : t('inbox.approvedApplying');
  return (
    <Alert color={request.status === 'FAILED' || request.status === 'STALE' ? 'red' : 'green'} role="status">
      {text}
    </Alert>
  );
}

function Decision({ request, me, onDecided }: { request: ChangeRequestView; me: UserView; onDecided: (entry: Decided) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [totpCode, setTotpCode] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const done = (decided: Decided) => {
    onDecided(decided);
    void queryClient.invalidateQueries({ queryKey: ['change-requests'] });
  };
  const approve = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/change-requests/{id}/approve', { params: { path: { id: request.id } }, body: { totpCode } })),
    onSuccess: (answer) => done({ request: answer, decision: 'APPROVED' }),
  });
  const reject = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/change-requests/{id}/reject', { params: { path: { id: request.id } }, body: { reason } })),
    onSuccess: (answer) => done({ request: answer, decision: 'REJECTED' }),
  });
  const why = whyNotApprovable(request, me);
  if (why) {
    return (
      <Alert color="gray" variant="light" title={t('inbox.cannotApprove')} role="note">
        {t(`inbox.why.${why}`)}
      </Alert>
    );
  }
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
