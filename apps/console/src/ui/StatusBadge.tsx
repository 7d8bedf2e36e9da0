import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  ACTIVE: 'green',
  REGISTERED: 'blue',
  SUSPENDED: 'orange',
  DELETED: 'gray',
  REVOKED: 'gray',
  EXPIRED: 'gray',
  PENDING: 'yellow',
  APPROVED: 'blue',
  APPLIED: 'green',
  REJECTED: 'red',
  CANCELLED: 'gray',
  STALE: 'orange',
  FAILED: 'red',
  QUEUED: 'gray',
  RUNNING: 'blue',
  READY: 'green',
  LOCKED: 'red',
};

/** A status in words and colour (the colour is never the only sign: the word is always there). */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    // At least as wide as its word: in a narrow table column the badge would otherwise cut it ("AC…").
    <Badge color={COLORS[status] ?? 'gray'} variant="light" radius="sm" miw="max-content">
      {t(`status.${status}` as 'status.ACTIVE', { defaultValue: status })}
    </Badge>
  );
}
