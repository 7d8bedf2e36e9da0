import { Anchor, Button, Group, NativeSelect, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useFormat } from '../i18n/format';
import { useMe } from '../session/SessionProvider';
import { ListPagination } from '../ui/ListPagination';
import { PageHeader } from '../ui/PageHeader';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { StatusBadge } from '../ui/StatusBadge';
import { USERS_PAGE_SIZE, usersFilterOf, usersQuery } from './users-query';
import { DataTable } from '../ui/DataTable';

/** Users of my company (seed 002 "Gestion des utilisateurs"): search, status and type filters, pages. */
export default function UsersPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { me } = useMe();
  const [params, setParams] = useSearchParams();
  const { status, clientType, page } = usersFilterOf(params);
  const text = params.get('q') ?? '';
  const [search] = useDebouncedValue(text.trim(), 250);
  const set = (changes: Record<string, string | undefined>) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        if (!('page' in changes)) next.delete('page');
        return next;
      },
      { replace: true },
    );
  const users = useQuery({ ...usersQuery(me.companyId, { search, status, clientType, page }), placeholderData: keepPreviousData });
  const filtered = !!(search || status || clientType);

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.description')}
        actions={
          <Button component={Link} to="/users/new">
            {t('users.add')}
          </Button>
        }
      />
      <Group mb="md" align="flex-end" wrap="wrap" role="search" aria-label={t('users.searchLabel')}>
        <TextInput
          label={t('users.search')}
          placeholder={t('users.searchPlaceholder')}
          value={text}
          onChange={(e) => set({ q: e.currentTarget.value })}
          w={300}
          type="search"
        />
        {/* Native selects: a short fixed list needs no searchable combobox, and the list shows sooner without its code. */}
        <NativeSelect
          label={t('users.status')}
          value={status ?? ''}
          onChange={(e) => set({ status: e.currentTarget.value || undefined })}
          data={[
            { value: '', label: t('users.allStatuses') },
            ...(['ACTIVE', 'REGISTERED', 'SUSPENDED', 'DELETED'] as const).map((s) => ({ value: s, label: t(`status.${s}`) })),
          ]}
          w={230}
        />
        <NativeSelect
          label={t('users.type')}
          value={clientType ?? ''}
          onChange={(e) => set({ type: e.currentTarget.value || undefined })}
          data={[
            { value: '', label: t('users.allTypes') },
            { value: 'ADMINISTRATOR', label: t('clientType.ADMINISTRATOR') },
            { value: 'STANDARD', label: t('clientType.STANDARD') },
          ]}
          w={230}
        />
      </Group>
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} />
      ) : users.data.items.length === 0 ? (
        <EmptyState
          title={filtered ? t('users.noMatch') : t('users.empty')}
          hint={filtered ? t('users.noMatchHint') : t('users.emptyHint')}
          action={
            filtered ? (
              <Button variant="default" onClick={() => setParams({}, { replace: true })}>
                {t('users.clearFilters')}
              </Button>
            ) : (
              <Button component={Link} to="/users/new">
                {t('users.add')}
              </Button>
            )
          }
        />
      ) : (
        <>
          <Text size="sm" mb="xs" aria-live="polite">
            {t('users.count', { count: users.data.total, formatted: format.number(users.data.total) })}
          </Text>
          <DataTable
            minWidth={720}
            highlightOnHover
            verticalSpacing="xs"
            columns={[t('users.name'), t('users.email'), t('users.type'), t('users.signature'), t('users.status'), t('users.created')]}
          >
            {users.data.items.map((user) => (
              <Table.Tr key={user.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/users/${user.id}`}>
                    {user.lastName} {user.firstName}
                  </Anchor>
                </Table.Td>
                <Table.Td>{user.email}</Table.Td>
                <Table.Td>{t(`clientType.${user.clientType}`)}</Table.Td>
                <Table.Td>{t(`adminSignature.${user.adminSignature}`)}</Table.Td>
                <Table.Td>
                  <StatusBadge status={user.status} />
                </Table.Td>
                <Table.Td>{format.date(user.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
          <ListPagination total={users.data.total} pageSize={USERS_PAGE_SIZE} page={page} onChange={(p) => set({ page: String(p) })} />
        </>
      )}
    </>
  );
}
