import { Group, Pagination } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The pages of a paginated list (every list of the API is): nothing when one page holds it all;
 * every control named for screen readers ("Page suivante", "Page 3").
 */
export function ListPagination({
  total,
  pageSize,
  page,
  onChange,
}: {
  total: number;
  pageSize: number;
  page: number;
  onChange: (page: number) => void;
}) {
  const { t } = useTranslation();
  if (total <= pageSize) return null;
  return (
    <Group justify="center" mt="md">
      <Pagination
        total={Math.ceil(total / pageSize)}
        value={page}
        onChange={onChange}
        getControlProps={(control) => ({ 'aria-label': t(`pagination.${control}` as 'pagination.next') })}
        getItemProps={(p) => ({ 'aria-label': t('pagination.page', { page: p }) })}
      />
    </Group>
  );
}
