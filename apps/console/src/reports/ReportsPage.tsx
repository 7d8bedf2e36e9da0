import { Alert, Button, Group, Paper, Progress, Select, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, download, ok } from '../api/client';
import type { ChangeSubmission, DeliveryView } from '../api/types';
import { currentLanguage } from '../i18n/i18n';
import { useFormat } from '../i18n/format';
import { useMe } from '../session/SessionProvider';
import { ChangeOutcome } from '../ui/ChangeOutcome';
import { FormError } from '../ui/form-errors';
import { ListPagination } from '../ui/ListPagination';
import { PageHeader } from '../ui/PageHeader';
import { EmptyState, ErrorState, Loading, QueryState } from '../ui/states';
import { StatusBadge } from '../ui/StatusBadge';
import { DataTable } from '../ui/DataTable';

const TABS = ['order', 'documents', 'deliveries'] as const;

/** Seed 002 "Rapports et livraisons": order the reports, follow them, download them; documents; deliveries. */
export default function ReportsPage() {
  const { t } = useTranslation();
  const { permissions } = useMe();
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? params.get('tab')! : 'order';
  return (
    <>
      <PageHeader title={t('reports.title')} description={t('reports.description')} />
      <Tabs value={tab} onChange={(v) => setParams({ tab: v ?? 'order' }, { replace: true })}>
        <Tabs.List mb="md">
          <Tabs.Tab value="order">{t('reports.tabs.order')}</Tabs.Tab>
          <Tabs.Tab value="documents">{t('reports.tabs.documents')}</Tabs.Tab>
          {permissions.administer && <Tabs.Tab value="deliveries">{t('reports.tabs.deliveries')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="order">
          <OrderReport />
        </Tabs.Panel>
        <Tabs.Panel value="documents">
          <Documents />
        </Tabs.Panel>
        {permissions.administer && (
          <Tabs.Panel value="deliveries">
            <Deliveries />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

function OrderReport() {
  const { t } = useTranslation();
  const { me } = useMe();
  const [type, setType] = useState<'ACCESS_RIGHTS' | 'DELIVERIES'>('ACCESS_RIGHTS');
  const [language, setLanguage] = useState<'fr' | 'en'>(currentLanguage());
  const [reportIds, setReportIds] = useState<string[]>([]);
  const order = useMutation({
    mutationFn: () =>
      ok(api.POST('/api/v1/companies/{companyId}/reports', { params: { path: { companyId: me.companyId } }, body: { type, language } })),
    onSuccess: (report) => setReportIds((ids) => [report.id, ...ids]),
  });
  return (
    <Stack maw={760}>
      <Paper withBorder p="md">
        <Stack>
          <Group align="flex-end">
            <Select
              label={t('reports.type')}
              value={type}
              onChange={(v) => v && setType(v as typeof type)}
              data={[
                { value: 'ACCESS_RIGHTS', label: t('reports.types.ACCESS_RIGHTS') },
                { value: 'DELIVERIES', label: t('reports.types.DELIVERIES') },
              ]}
              allowDeselect={false}
              w={300}
            />
            <Select
              label={t('reports.language')}
              value={language}
              onChange={(v) => v && setLanguage(v as 'fr' | 'en')}
              data={[
                { value: 'fr', label: 'Français' },
                { value: 'en', label: 'English' },
              ]}
              allowDeselect={false}
              w={160}
            />
            <Button onClick={() => order.mutate()} loading={order.isPending}>
              {t('reports.order')}
            </Button>
          </Group>
          <Text size="sm" c="dimmed">
            {t(`reports.typeHints.${type}`)}
          </Text>
          <FormError error={order.error} />
        </Stack>
      </Paper>
      {reportIds.map((id) => (
        <ReportProgress key={id} reportId={id} />
      ))}
    </Stack>
  );
}

/** A report being built: its progress until it is ready (or failed), then its download. */
function ReportProgress({ reportId }: { reportId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const report = useQuery({
    queryKey: ['report', reportId],
    queryFn: () => ok(api.GET('/api/v1/reports/{reportId}', { params: { path: { reportId } } })),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'READY' || q.state.data.status === 'FAILED') ? false : 1000),
  });
  const fetchFile = useMutation({ mutationFn: () => download(`/api/v1/reports/${reportId}/file`, `report-${reportId}.pdf`) });
  if (report.data?.status === 'READY') void queryClient.invalidateQueries({ queryKey: ['documents'] });
  return (
    <QueryState query={report}>
      {(r) => (
        <Paper withBorder p="md" aria-live="polite">
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h5">
              {t(`reports.types.${r.type}`)} — {format.dateTime(r.createdAt)}
            </Title>
            <StatusBadge status={r.status} />
          </Group>
          {(r.status === 'QUEUED' || r.status === 'RUNNING') && (
            <Progress
              value={r.status === 'QUEUED' ? 2 : Math.max(5, r.progress)}
              animated
              aria-label={t('reports.progress', { value: r.progress })}
            />
          )}
          {r.status === 'FAILED' && <Alert color="red">{r.failureReason ?? t('reports.failed')}</Alert>}
          {r.status === 'READY' && r.document && (
            <Group>
              <Button onClick={() => fetchFile.mutate()} loading={fetchFile.isPending}>
                {t('reports.download')}
              </Button>
              <Text size="sm">{t('reports.keptUntil', { date: format.date(r.document.expiresAt) })}</Text>
            </Group>
          )}
          <FormError error={fetchFile.error} />
        </Paper>
      )}
    </QueryState>
  );
}

function Documents() {
  const { t } = useTranslation();
  const format = useFormat();
  const { me } = useMe();
  const [page, setPage] = useState(1);
  const documents = useQuery({
    queryKey: ['documents', me.companyId, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/companies/{companyId}/documents', {
          params: { path: { companyId: me.companyId }, query: { page, pageSize: 20 } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const fetchFile = useMutation({
    mutationFn: (d: { reportId: string; fileName: string }) => download(`/api/v1/reports/${d.reportId}/file`, d.fileName),
  });
  if (documents.isPending) return <Loading />;
  if (documents.isError) return <ErrorState error={documents.error} onRetry={() => void documents.refetch()} />;
  if (documents.data.items.length === 0) return <EmptyState title={t('documents.empty')} hint={t('documents.emptyHint')} />;
  return (
    <>
      <FormError error={fetchFile.error} />
      <DataTable
        minWidth={640}
        columns={[
          t('documents.name'),
          t('documents.type'),
          t('documents.created'),
          t('documents.size'),
          t('documents.retention'),
          t('documents.download'),
        ]}
      >
        {documents.data.items.map((d) => (
          <Table.Tr key={d.id}>
            <Table.Td>{d.fileName}</Table.Td>
            <Table.Td>{t(`reports.types.${d.reportType}`)}</Table.Td>
            <Table.Td>{format.dateTime(d.createdAt)}</Table.Td>
            <Table.Td>{format.bytes(d.size)}</Table.Td>
            <Table.Td>{t('documents.until', { date: format.date(d.expiresAt) })}</Table.Td>
            <Table.Td>
              <Button
                size="xs"
                variant="default"
                onClick={() => fetchFile.mutate(d)}
                aria-label={t('documents.downloadNamed', { name: d.fileName })}
              >
                {t('documents.download')}
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <ListPagination total={documents.data.total} pageSize={20} page={page} onChange={setPage} />
    </>
  );
}

const FORMATS = ['PDF', 'CAMT_052', 'CAMT_053', 'CAMT_054', 'MT940'] as const;
const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'ON_EVENT'] as const;
const CHANNELS = ['E_BANKING', 'EMAIL', 'EBICS', 'SFTP'] as const;

function Deliveries() {
  const { t } = useTranslation();
  const { me } = useMe();
  const [outcome, setOutcome] = useState<ChangeSubmission | undefined>();
  const deliveries = useQuery({
    queryKey: ['deliveries', me.companyId],
    queryFn: () =>
      ok(api.GET('/api/v1/companies/{companyId}/deliveries', { params: { path: { companyId: me.companyId }, query: { pageSize: 100 } } })),
  });
  return (
    <Stack>
      {outcome && <ChangeOutcome submission={outcome} onClose={() => setOutcome(undefined)} />}
      <QueryState query={deliveries}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title={t('deliveries.empty')} hint={t('deliveries.emptyHint')} />
          ) : (
            <DataTable
              minWidth={760}
              columns={[
                t('deliveries.account'),
                t('deliveries.type'),
                t('deliveries.format'),
                t('deliveries.frequency'),
                t('deliveries.channel'),
              ]}
            >
              {page.items.map((d) => (
                <DeliveryRow key={d.id} delivery={d} onChanged={setOutcome} />
              ))}
            </DataTable>
          )
        }
      </QueryState>
    </Stack>
  );
}

/** A delivery's format, frequency and channel; changing one is a change request (seed 002 "Livraisons > Modifier"). */
function DeliveryRow({ delivery, onChanged }: { delivery: DeliveryView; onChanged: (s: ChangeSubmission) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (body: { format?: DeliveryView['format']; frequency?: DeliveryView['frequency']; channel?: DeliveryView['channel'] }) =>
      ok(
        api.PATCH('/api/v1/deliveries/{deliveryId}', {
          params: { path: { deliveryId: delivery.id } },
          body: { ...body, version: delivery.version },
        }),
      ),
    onSuccess: (s) => {
      onChanged(s);
      void queryClient.invalidateQueries({ queryKey: ['deliveries'] });
    },
  });
  const label = `${delivery.accountLabel} — ${t(`deliveries.types.${delivery.type}`)}`;
  return (
    <Table.Tr>
      <Table.Td>
        {delivery.accountLabel}
        <Text size="xs" c="dimmed">
          {delivery.accountIdentifier}
        </Text>
        <FormError error={change.error} />
      </Table.Td>
      <Table.Td>{t(`deliveries.types.${delivery.type}`)}</Table.Td>
      <Table.Td>
        <Select
          aria-label={t('deliveries.formatOf', { label })}
          value={delivery.format}
          data={FORMATS.map((f) => ({ value: f, label: f.replace('_', '.') }))}
          onChange={(v) => v && v !== delivery.format && change.mutate({ format: v as DeliveryView['format'] })}
          allowDeselect={false}
          w={130}
        />
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={t('deliveries.frequencyOf', { label })}
          value={delivery.frequency}
          data={FREQUENCIES.map((f) => ({ value: f, label: t(`deliveries.frequencies.${f}`) }))}
          onChange={(v) => v && v !== delivery.frequency && change.mutate({ frequency: v as DeliveryView['frequency'] })}
          allowDeselect={false}
          w={170}
        />
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={t('deliveries.channelOf', { label })}
          value={delivery.channel}
          data={CHANNELS.map((c) => ({ value: c, label: t(`deliveries.channels.${c}`) }))}
          onChange={(v) => v && v !== delivery.channel && change.mutate({ channel: v as DeliveryView['channel'] })}
          allowDeselect={false}
          w={160}
        />
      </Table.Td>
    </Table.Tr>
  );
}
