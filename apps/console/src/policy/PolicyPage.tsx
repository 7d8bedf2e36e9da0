import { Button, Checkbox, Group, NumberInput, Select, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { ChangeKind, ChangeSubmission, PolicyRule } from '../api/types';
import { useMe } from '../session/SessionProvider';
import { ChangeOutcome } from '../ui/ChangeOutcome';
import { fieldErrorsOf, FormError } from '../ui/form-errors';
import { PageHeader } from '../ui/PageHeader';
import { ErrorState, Loading } from '../ui/states';
import { DataTable } from '../ui/DataTable';

const KINDS: ChangeKind[] = [
  'USER_CREATE',
  'USER_UPDATE',
  'USER_ACTIVATE',
  'USER_SUSPEND',
  'USER_REACTIVATE',
  'USER_DELETE',
  'ADMIN_SIGNATURE_SET',
  'CREDENTIAL_CREATE',
  'CREDENTIAL_REVOKE',
  'CREDENTIAL_RESET',
  'AUTHORIZATION_CREATE',
  'AUTHORIZATION_UPDATE',
  'AUTHORIZATION_DELETE',
  'AUTHORIZATION_ASSIGN',
  'RIGHTS_TEMPLATE',
  'RIGHTS_COPY',
  'RIGHTS_AUTHORIZE_ALL',
  'POLICY_UPDATE',
  'DELIVERY_UPDATE',
];

/** Who must approve which kind of change (the company's dual-control policy); changing it is itself a change request. */
export default function PolicyPage() {
  const { t } = useTranslation();
  const { me } = useMe();
  const queryClient = useQueryClient();
  const policy = useQuery({
    queryKey: ['policy', me.companyId],
    queryFn: () => ok(api.GET('/api/v1/companies/{companyId}/change-policy', { params: { path: { companyId: me.companyId } } })),
  });
  const [rules, setRules] = useState<PolicyRule[]>([]);
  const [outcome, setOutcome] = useState<ChangeSubmission | undefined>();
  const [adding, setAdding] = useState<string | null>(null);
  useEffect(() => {
    if (policy.data) setRules(policy.data.rules);
  }, [policy.data]);
  const save = useMutation({
    mutationFn: () =>
      ok(api.PUT('/api/v1/companies/{companyId}/change-policy', { params: { path: { companyId: me.companyId } }, body: { rules } })),
    onSuccess: (s) => {
      setOutcome(s);
      void queryClient.invalidateQueries({ queryKey: ['policy', me.companyId] });
    },
  });
  const kindLabel = (kind: string) =>
    kind === '*' ? t('policy.allKinds') : t(`kinds.${kind}` as 'kinds.USER_CREATE', { defaultValue: kind });
  const update = (kind: string, change: Partial<PolicyRule>) =>
    setRules((rs) => rs.map((r) => (r.kind === kind ? { ...r, ...change } : r)));
  const changed = JSON.stringify(rules) !== JSON.stringify(policy.data?.rules ?? []);
  const errors = fieldErrorsOf(save.error);
  return (
    <>
      <PageHeader title={t('policy.title')} description={t('policy.description')} />
      {outcome && <ChangeOutcome submission={outcome} onClose={() => setOutcome(undefined)} />}
      {policy.isPending ? (
        <Loading />
      ) : policy.isError ? (
        <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />
      ) : (
        <Stack maw={860}>
          <DataTable
            columns={[
              t('policy.kind'),
              t('policy.approvals'),
              t('policy.individual'),
              <span key="remove" className="visually-hidden">
                {t('policy.remove')}
              </span>,
            ]}
          >
            {rules.map((rule) => (
              <Table.Tr key={rule.kind}>
                <Table.Td>{kindLabel(rule.kind)}</Table.Td>
                <Table.Td>
                  <NumberInput
                    aria-label={t('policy.approvalsOf', { kind: kindLabel(rule.kind) })}
                    value={rule.requiredApprovals}
                    min={1}
                    max={5}
                    onChange={(v) => update(rule.kind, { requiredApprovals: Number(v) || 1 })}
                    w={90}
                    error={errors.requiredApprovals?.join(' ')}
                  />
                </Table.Td>
                <Table.Td>
                  <Checkbox
                    aria-label={t('policy.individualOf', { kind: kindLabel(rule.kind) })}
                    checked={rule.allowIndividualImmediate}
                    onChange={(e) => update(rule.kind, { allowIndividualImmediate: e.currentTarget.checked })}
                  />
                </Table.Td>
                <Table.Td>
                  {rule.kind !== '*' && (
                    <Button size="xs" variant="subtle" color="red" onClick={() => setRules((rs) => rs.filter((r) => r.kind !== rule.kind))}>
                      {t('policy.remove')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
          <Text size="sm" c="dimmed">
            {t('policy.individualHint')}
          </Text>
          <Group align="flex-end">
            <Select
              label={t('policy.addKind')}
              value={adding}
              onChange={setAdding}
              data={KINDS.filter((k) => !rules.some((r) => r.kind === k)).map((k) => ({ value: k, label: kindLabel(k) }))}
              searchable
              w={320}
            />
            <Button
              variant="default"
              disabled={!adding}
              onClick={() => {
                if (adding) setRules((rs) => [...rs, { kind: adding, requiredApprovals: 1, allowIndividualImmediate: false }]);
                setAdding(null);
              }}
            >
              {t('policy.add')}
            </Button>
          </Group>
          <FormError error={save.error} />
          <Group>
            <Button onClick={() => save.mutate()} disabled={!changed} loading={save.isPending}>
              {t('policy.submit')}
            </Button>
            <Text size="sm">{t('policy.submitHint')}</Text>
          </Group>
        </Stack>
      )}
    </>
  );
}
