import { Alert, Button, Group, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download, ok } from '../api/client';
import { useFormat } from '../i18n/format';
import { useMe } from '../session/SessionProvider';
import { FormError } from '../ui/form-errors';
import { PageHeader } from '../ui/PageHeader';
import { Loading } from '../ui/states';
import { startOfDay } from '../add-user/rights';
import { AuditTable } from './AuditTable';

/** The company's audit trail: filters, pages, whether its hash chain is intact, export (JSON lines). */
export default function AuditPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { me } = useMe();
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [debouncedAction] = useDebouncedValue(action.trim(), 300);
  const verification = useQuery({
    queryKey: ['audit-verify', me.companyId],
    queryFn: () => ok(api.GET('/api/v1/companies/{companyId}/audit/verify', { params: { path: { companyId: me.companyId } } })),
    staleTime: 60_000,
  });
  const exporting = useMutation({
    mutationFn: () => download(`/api/v1/companies/${me.companyId}/audit/export`, `audit-${me.companyId}.jsonl`),
  });
  const dayAfter = (date: string) => {
    const d = new Date(`${date}T00:00:00`);
    d.setDate(d.getDate() + 1);
    return d.toISOString();
  };
  return (
    <>
      <PageHeader
        title={t('audit.title')}
        description={t('audit.description')}
        actions={
          <Button variant="default" onClick={() => exporting.mutate()} loading={exporting.isPending}>
            {t('audit.export')}
          </Button>
        }
      />
      <FormError error={exporting.error} />
      {verification.isPending ? (
        <Loading label={t('audit.verifying')} />
      ) : verification.isError ? (
        <FormError error={verification.error} />
      ) : (
        <Alert
          mb="md"
          color={verification.data.valid ? 'green' : 'red'}
          variant="light"
          title={verification.data.valid ? t('audit.chainValid') : t('audit.chainBroken')}
          role="status"
        >
          {verification.data.valid
            ? t('audit.chainValidText', { count: verification.data.entries, formatted: format.number(verification.data.entries) })
            : t('audit.chainBrokenText', { seq: verification.data.firstBrokenSeq ?? '?', problem: verification.data.problem ?? '' })}
        </Alert>
      )}
      <Group mb="md" align="flex-end" role="search" aria-label={t('audit.filters')}>
        <TextInput
          label={t('audit.action')}
          description={t('audit.actionHint')}
          value={action}
          onChange={(e) => setAction(e.currentTarget.value)}
          w={260}
        />
        <TextInput label={t('audit.fromDate')} type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={180} />
        <TextInput label={t('audit.toDate')} type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={180} />
      </Group>
      <AuditTable
        companyId={me.companyId}
        filter={{ action: debouncedAction || undefined, from: from ? startOfDay(from) : undefined, to: to ? dayAfter(to) : undefined }}
      />
    </>
  );
}
