import { useQueries, useQuery } from '@tanstack/react-query';
import { api, ok } from './client';
import type { UserView } from './types';

/** The service catalog (read-only, seeded): labels of services, rights and levels. */
export function useCatalog() {
  return useQuery({ queryKey: ['services'], queryFn: () => ok(api.GET('/api/v1/services')), staleTime: 60 * 60_000 });
}

export function useUser(userId: string | undefined) {
  return useQuery({
    queryKey: ['user', userId],
    queryFn: () => ok(api.GET('/api/v1/users/{userId}', { params: { path: { userId: userId! } } })),
    enabled: !!userId,
    staleTime: 60_000,
  });
}

/** Several users by id (subjects and makers of change requests), each cached on its own; unknown ids stay ids. */
export function useUsersById(ids: string[]): Map<string, UserView> {
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((userId) => ({
      queryKey: ['user', userId],
      queryFn: () => ok(api.GET('/api/v1/users/{userId}', { params: { path: { userId } } })),
      staleTime: 60_000,
      retry: false,
    })),
  });
  const map = new Map<string, UserView>();
  results.forEach((r) => r.data && map.set(r.data.id, r.data));
  return map;
}

export function personName(user: Pick<UserView, 'firstName' | 'lastName'> | undefined, fallback = ''): string {
  return user ? `${user.firstName} ${user.lastName}` : fallback;
}

/** All the company's users of one kind in a few pages (pickers: copy from, add to an authorization). */
export function useCompanyUsers(companyId: string, filter: { status?: 'ACTIVE'; clientType?: 'ADMINISTRATOR' } = {}) {
  return useQuery({
    queryKey: ['users', companyId, 'all', filter],
    queryFn: async () => {
      const first = await ok(
        api.GET('/api/v1/companies/{companyId}/users', { params: { path: { companyId }, query: { ...filter, pageSize: 100 } } }),
      );
      const items = [...first.items];
      // Pickers list at most 500 people; beyond that the search of the users page is the way.
      for (let page = 2; page <= Math.min(5, Math.ceil(first.total / 100)); page++) {
        const next = await ok(
          api.GET('/api/v1/companies/{companyId}/users', { params: { path: { companyId }, query: { ...filter, pageSize: 100, page } } }),
        );
        items.push(...next.items);
      }
      return { items, total: first.total };
    },
    staleTime: 30_000,
  });
}
