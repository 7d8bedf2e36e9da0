import { Anchor, Button, Group, Table, Text } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ok } from '../api/client';
import { useCatalog } from '../api/queries';
import type { AuthorizationView, ChangeSubmission } from '../api/types';
import { useFormat } from '../i18n/format';
import { useMe } from '../session/SessionProvider';
import { ChangeOutcome } from '../ui/ChangeOutcome';
import { FormError } from '../ui/form-errors';
import { useCatalogLabels } from '../ui/labels';
import { ListPagination } from '../ui/ListPagination';
import { PageHeader } from '../ui/PageHeader';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { DataTable } from '../ui/DataTable';

const PAGE_SIZE = 20;

/** Seed 000 "Gestion des pouvoirs et des autorisations": the company's authorizations, new, edit, end, delete. */
export default function AuthorizationsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { me } = useMe();
  const catalog = useCatalog();
  const labels = useCatalogLabels(catalog.data);
  const [page, setPage] = useState(1);
  const [outcome, setOutcome] = useState<ChangeSubmission | undefined>();
  const list = useQuery({
    queryKey: ['authorizations', me.companyId, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/companies/{companyId}/authorizations', {
          params: { path: { companyId: me.companyId }, query: { page, pageSize: PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title={t('authorizations.title')}
        description={t('authorizations.description')}
        actions={
          <>
            <Button variant="default" component={Link} to="/authorizations/authorize-all">
              {t('authorizeAll.title')}
            </Button>
            <Button component={Link} to="/authorizations/new">
              {t('authorizations.new')}
            </Button>
          </>
        }
      />
      {outcome && <ChangeOutcome submission={outcome} onClose={() => setOutcome(undefined)} />}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState
          title={t('authorizations.empty')}
          hint={t('authorizations.emptyHint')}
          action={
            <Button component={Link} to="/authorizations/new">
              {t('authorizations.new')}
            </Button>
          }
        />
      ) : (
        <>
          <DataTable
            minWidth={760}
            columns={[
              t('authorizations.label'),
              t('authorizations.service'),
              t('authorizations.effectiveFrom'),
              t('authorizations.endsAt'),
              t('authorizations.users'),
              t('authorizations.actions'),
            ]}
          >
            {list.data.items.map((a) => (
              <Row key={a.id} authorization={a} serviceLabel={labels.service(a.service)} onChanged={setOutcome} format={format} />
            ))}
          </DataTable>
          <ListPagination total={list.data.total} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
        </>
      )}
    </>
  );
}

function Row({
  authorization: a,
  serviceLabel,
  onChanged,
  format,
}: {
  authorization: AuthorizationView;
  serviceLabel: string;
  onChanged: (s: ChangeSubmission) => void;
  format: ReturnType<typeof useFormat>;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const done = (s: ChangeSubmission) => {
    onChanged(s);
    void queryClient.invalidateQueries({ queryKey: ['authorizations'] });
  };
  const end = useMutation({
    mutationFn: () =>
      ok(
        api.PATCH('/api/v1/authorizations/{authorizationId}', {
          params: { path: { authorizationId: a.id } },
          body: { endsAt: new Date().toISOString() },
        }),
      ),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/authorizations/{authorizationId}', { params: { path: { authorizationId: a.id } } })),
    onSuccess: done,
  });
  const endsAt = a.endsAt as string | null | undefined;
  const ended = !!endsAt && Date.parse(endsAt) <= Date.now();
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/authorizations/${a.id}/edit`}>
          {a.label}
        </Anchor>
        {a.standingProfiles?.length ? (
          <Text size="xs" c="dimmed">
            {t('authorizations.standing', {
              rules: a.standingProfiles.map((r) => `${r.contractType} – ${t(`authorizeAll.profiles.${r.profile}`)}`).join(', '),
            })}
          </Text>
        ) : null}
        <FormError error={end.error ?? remove.error} />
      </Table.Td>
      <Table.Td>{serviceLabel}</Table.Td>
      <Table.Td>{format.date(a.effectiveFrom)}</Table.Td>
      <Table.Td>{endsAt ? format.date(endsAt) : <Text size="sm">{t('rights.noEnd')}</Text>}</Table.Td>
      <Table.Td>{t('authorizations.userCount', { count: a.userIds.length })}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button
            size="xs"
            variant="default"
            component={Link}
            to={`/authorizations/${a.id}/edit`}
            aria-label={t('authorizations.editNamed', { label: a.label })}
          >
            {t('authorizations.edit')}
          </Button>
          {!ended && (
            <Button
              size="xs"
              variant="default"
              loading={end.isPending}
              onClick={() => window.confirm(t('authorizations.endConfirm', { label: a.label })) && end.mutate()}
              aria-label={t('authorizations.endNamed', { label: a.label })}
            >
              {t('authorizations.end')}
            </Button>
          )}
          <Button
            size="xs"
            variant="outline"
            color="red"
            loading={remove.isPending}
            onClick={() => window.confirm(t('authorizations.deleteConfirm', { label: a.label })) && remove.mutate()}
            aria-label={t('authorizations.deleteNamed', { label: a.label })}
          >
            {t('authorizations.delete')}
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
