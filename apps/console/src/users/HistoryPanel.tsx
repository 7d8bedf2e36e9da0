import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import type { UserView } from '../api/types';
import { AuditTable } from '../audit/AuditTable';
import { useMe } from '../session/SessionProvider';

/** What the audit trail says about the user and their credentials, newest first. */
export function HistoryPanel({ user }: { user: UserView }) {
  const { me } = useMe();
  const credentials = useQuery({
    queryKey: ['credentials', user.id],
    queryFn: () => ok(api.GET('/api/v1/users/{userId}/credentials', { params: { path: { userId: user.id } } })),
  });
  if (credentials.isPending) return null;
  const about = [user.id, ...(credentials.data ?? []).map((c) => c.id)];
  return <AuditTable companyId={me.companyId} filter={{ about }} />;
}
