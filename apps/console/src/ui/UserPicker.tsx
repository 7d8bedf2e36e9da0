import { type ComboboxParsedItem, MultiSelect, Select } from '@mantine/core';
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

/** What both pickers share: the text typed searches the server, whose matches are shown as they are. */
function useSearchInput(status?: 'ACTIVE' | 'REGISTERED') {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const search = useUserSearch(text, status ? { status } : {});
  const inputProps = {
    placeholder: t('picker.placeholder'),
    searchable: true,
    searchValue: text,
    onSearchChange: setText,
    filter: ({ options }: { options: ComboboxParsedItem[] }) => options,
    nothingFoundMessage: search.isFetching ? t('common.loading') : t('picker.nothing'),
  };
  return { found: search.data?.items ?? [], inputProps };
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
  const { found, inputProps } = useSearchInput(status);
  const selected = useUsersById(value ? [value] : []);
  const options = found.filter((u) => !exclude.includes(u.id)).map(optionOf);
  const current = value ? selected.get(value) : undefined;
  if (current && !options.some((o) => o.value === current.id)) options.unshift(optionOf(current));
  return (
    <Select
      {...inputProps}
      label={label}
      description={description}
      data={options}
      value={value}
      onChange={onChange}
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
  const { found, inputProps } = useSearchInput();
  const selected = useUsersById(value);
  const options = found.map(optionOf);
  for (const id of value) {
    const user = selected.get(id);
    if (user && !options.some((o) => o.value === id)) options.push(optionOf(user));
  }
  return (
    <MultiSelect
      {...inputProps}
      label={label}
      description={description}
      data={options}
      value={value}
      onChange={onChange}
      error={error}
      maw={640}
    />
  );
}
