import { Code, Spoiler, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { personName, useUsersById } from '../api/queries';
import { useFormat } from '../i18n/format';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { ListPagination } from '../ui/ListPagination';
import { DataTable } from '../ui/DataTable';

const PAGE_SIZE = 25;

export interface AuditFilter {
  action?: string;
  actor?: string;
  about?: string[];
  from?: string;
  to?: string;
}

/** Entries of the company's audit trail, newest first, with who, what, when, from where. */
export function AuditTable({ companyId, filter }: { companyId: string; filter: AuditFilter }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [page, setPage] = useState(1);
  const entries = useQuery({
    queryKey: ['audit', companyId, filter, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/companies/{companyId}/audit', {
          params: { path: { companyId }, query: { ...filter, page, pageSize: PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const actors = useUsersById(
    (entries.data?.items ?? [])
      .map((e) => e.actor)
      .filter((a) => a.startsWith('user:'))
      .map((a) => a.slice(5)),
  );
  const actorName = (actor: string) =>
    actor.startsWith('user:')
      ? personName(actors.get(actor.slice(5)), actor)
      : t(`audit.actors.${actor.split(':')[0]}` as 'audit.actors.system', { defaultValue: actor });
  if (entries.isPending) return <Loading />;
  if (entries.isError) return <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />;
  if (entries.data.items.length === 0) return <EmptyState title={t('audit.empty')} hint={t('audit.emptyHint')} />;
  return (
    <>
      <Text size="sm" mb="xs">
        {t('audit.count', { count: entries.data.total, formatted: format.number(entries.data.total) })}
      </Text>
      <DataTable
        minWidth={760}
        verticalSpacing="xs"
        columns={['#', t('audit.when'), t('audit.who'), t('audit.what'), t('audit.target'), t('audit.from'), t('audit.details')]}
      >
        {entries.data.items.map((e) => (
          <Table.Tr key={e.seq}>
            <Table.Td>{e.seq}</Table.Td>
            <Table.Td>{format.dateTime(e.occurredAt)}</Table.Td>
            <Table.Td>{actorName(e.actor)}</Table.Td>
            <Table.Td>
              {t(`audit.actions.${e.action.replace(/\./g, '_')}` as 'audit.actions.login_succeeded', { defaultValue: e.action })}
            </Table.Td>
            <Table.Td>{t(`audit.targets.${e.targetType}` as 'audit.targets.user', { defaultValue: e.targetType })}</Table.Td>
            <Table.Td>{e.sourceIp ?? '—'}</Table.Td>
            <Table.Td>
              {(e.details || e.after) && (
                <Spoiler maxHeight={0} showLabel={t('audit.show')} hideLabel={t('audit.hide')}>
                  <Code block>{JSON.stringify({ before: e.before, after: e.after, details: e.details }, null, 1)}</Code>
                </Spoiler>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <ListPagination total={entries.data.total} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
    </>
  );
}
