import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { EdiSignature, UserView } from '../api/types';
import { useFormat } from '../i18n/format';
import { FormError } from '../ui/form-errors';
import { EmptyState, QueryState } from '../ui/states';
import { StatusBadge } from '../ui/StatusBadge';
import { DataTable } from '../ui/DataTable';

/** EDI signatures of a user (seed 004), and the confidential code the administrator requests for them. */
export function EdiPanel({ user }: { user: UserView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const signatures = useQuery({
    queryKey: ['edi-signatures', user.id],
    queryFn: () => ok(api.GET('/api/v1/users/{userId}/edi-signatures', { params: { path: { userId: user.id } } })),
  });
  const code = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/users/{userId}/edi-code', { params: { path: { userId: user.id } } })),
  });
  const revoke = useMutation({
    mutationFn: (signatureId: string) => ok(api.DELETE('/api/v1/edi-signatures/{signatureId}', { params: { path: { signatureId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['edi-signatures', user.id] }),
  });
  return (
    <Stack>
      <Text size="sm">{t('edi.adminIntro')}</Text>
      {user.status === 'ACTIVE' ? (
        <Group>
          <Button variant="default" loading={code.isPending} onClick={() => code.mutate()}>
            {t('edi.requestCode')}
          </Button>
        </Group>
      ) : (
        <Alert color="gray">{t('edi.activeOnly')}</Alert>
      )}
      {code.data && (
        <Alert color="green" role="status">
          {t('edi.codeSent', { to: code.data.sentTo })}
        </Alert>
      )}
      <FormError error={code.error ?? revoke.error} />
      <SignaturesTable query={signatures} onRevoke={(id) => window.confirm(t('edi.revokeConfirm')) && revoke.mutate(id)} />
    </Stack>
  );
}

export function SignaturesTable({ query, onRevoke }: { query: UseQueryResult<EdiSignature[]>; onRevoke?: (id: string) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <QueryState query={query}>
      {(list) =>
        list.length === 0 ? (
          <EmptyState title={t('edi.none')} hint={t('edi.noneHint')} />
        ) : (
          <>
            {list.some((s) => s.status === 'SUSPENDED') && (
              <Text size="sm" c="dimmed">
                {t('edi.suspendedHint')}
              </Text>
            )}
            <DataTable columns={[t('edi.status'), t('edi.validFrom'), t('edi.validUntil'), t('edi.actions')]}>
              {list.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Group gap="xs">
                      <StatusBadge status={s.status} />
                      {s.locked && <StatusBadge status="LOCKED" />}
                    </Group>
                  </Table.Td>
                  <Table.Td>{format.date(s.validFrom)}</Table.Td>
                  <Table.Td>{format.date(s.validUntil)}</Table.Td>
                  <Table.Td>
                    {(s.status === 'ACTIVE' || s.status === 'SUSPENDED') && onRevoke && (
                      <Button size="xs" variant="default" color="red" onClick={() => onRevoke(s.id)}>
                        {t('edi.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </DataTable>
          </>
        )
      }
    </QueryState>
  );
}
