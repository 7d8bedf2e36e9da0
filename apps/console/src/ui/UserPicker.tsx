import { MultiSelect, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { useUsersById } from '../api/queries';
import { useMe } from '../session/SessionProvider';

/** Searches the company's users on the server (a company may have thousands): the 20 first matches. */
function useUserSearch(text: string, filter: { status?: 'ACTIVE' | 'REGISTERED' } = {}) {
  const { me } = useMe();
  const [search] = useDebouncedValue(text.trim(), 200);
  return useQuery({
    queryKey: ['users', me.companyId, 'search', search, filter],
    queryFn: () =>
      ok(
        api.GET('/api/v1/companies/{companyId}/users', {
          params: { path: { companyId: me.companyId }, query: { q: search || undefined, pageSize: 20, ...filter } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

const optionOf = (u: { id: string; firstName: string; lastName: string; email: string }) => ({
  value: u.id,
  label: `${u.lastName} ${u.firstName} — ${u.email}`,
});

export function UserPicker({
  label,
  value,
  onChange,
  error,
  exclude = [],
  status,
  description,
}: {
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string;
  exclude?: string[];
  status?: 'ACTIVE' | 'REGISTERED';
  description?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const search = useUserSearch(text, status ? { status } : {});
  const selected = useUsersById(value ? [value] : []);
  const options = (search.data?.items ?? []).filter((u) => !exclude.includes(u.id)).map(optionOf);
  const current = value ? selected.get(value) : undefined;
  if (current && !options.some((o) => o.value === current.id)) options.unshift(optionOf(current));
  return (
    <Select
      label={label}
      description={description}
      placeholder={t('picker.placeholder')}
      searchable
      searchValue={text}
      onSearchChange={setText}
      filter={({ options: all }) => all}
      data={options}
      value={value}
      onChange={onChange}
      nothingFoundMessage={search.isFetching ? t('common.loading') : t('picker.nothing')}
      error={error}
      clearable
      maw={520}
    />
  );
}

export function UsersPicker({
  label,
  value,
  onChange,
  error,
  description,
}: {
  label: string;
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string;
  description?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const search = useUserSearch(text);
  const selected = useUsersById(value);
  const options = (search.data?.items ?? []).map(optionOf);
  for (const id of value) {
    const user = selected.get(id);
    if (user && !options.some((o) => o.value === id)) options.push(optionOf(user));
  }
  return (
    <MultiSelect
      label={label}
      description={description}
      placeholder={t('picker.placeholder')}
      searchable
      searchValue={text}
      onSearchChange={setText}
      filter={({ options: all }) => all}
      data={options}
      value={value}
      onChange={onChange}
      nothingFoundMessage={t('picker.nothing')}
      error={error}
      maw={640}
    />
  );
}
