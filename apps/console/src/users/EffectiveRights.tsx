import { Alert, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { useCatalog } from '../api/queries';
import { useCompanyResources } from '../add-user/RightsChooser';
import { useFormat } from '../i18n/format';
import { useCatalogLabels } from '../ui/labels';
import { EmptyState, QueryState } from '../ui/states';
import { DataTable } from '../ui/DataTable';

/**
 * Effective rights now, each with the authorization that grants it, and why none are usable when
 * that is the case. `own`: the signed-in person's own rights (My account), said to them, not to
 * an administrator.
 */
export function EffectiveRights({ userId, showResources = true, own = false }: { userId: string; showResources?: boolean; own?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const catalog = useCatalog();
  const labels = useCatalogLabels(catalog.data);
  const resources = useCompanyResources();
  const rights = useQuery({
    queryKey: ['effective-rights', userId],
    queryFn: () => ok(api.GET('/api/v1/users/{userId}/effective-rights', { params: { path: { userId } } })),
  });
  const resourceName = (id: string) => resources.data?.items.find((r) => r.id === id)?.label ?? id;
  return (
    <QueryState query={rights}>
      {(view) => (
        <>
          {view.rights.length > 0 || !view.usable ? (
            <Alert
              color={view.usable ? 'green' : 'orange'}
              variant="light"
              mb="md"
              title={view.usable ? t('rights.usable') : t('rights.notUsable')}
            >
              {t(`reasons.${view.reason ?? 'GRANTED'}` as 'reasons.GRANTED')}
            </Alert>
          ) : null}
          {view.rights.length === 0 ? (
            <EmptyState title={own ? t('rights.noneOwn') : t('rights.none')} hint={own ? t('rights.noneOwnHint') : t('rights.noneHint')} />
          ) : (
            <DataTable
              minWidth={640}
              columns={[
                t('authorizations.service'),
                t('grants.right'),
                t('grants.levelHeader'),
                showResources && t('grants.resourcesHeader'),
                t('rights.grantedBy'),
                t('rights.validity'),
              ]}
            >
              {view.rights.map((r, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{labels.service(r.service)}</Table.Td>
                  <Table.Td>{labels.right(r.service, r.right)}</Table.Td>
                  <Table.Td>{labels.level(r.service, r.level)}</Table.Td>
                  {showResources && <Table.Td>{r.resourceIds?.length ? r.resourceIds.map(resourceName).join(', ') : '—'}</Table.Td>}
                  <Table.Td>{r.authorizationLabel}</Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {format.date(r.validFrom)} → {r.validUntil ? format.date(r.validUntil as string) : t('rights.noEnd')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </DataTable>
          )}
        </>
      )}
    </QueryState>
  );
}
