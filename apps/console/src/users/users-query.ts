import { api, ok } from '../api/client';

export const USERS_PAGE_SIZE = 25;
export type UserStatus = 'REGISTERED' | 'ACTIVE' | 'SUSPENDED' | 'DELETED';
export type UserClientType = 'ADMINISTRATOR' | 'STANDARD';

/** What the users list shows, as its address says (?q=&status=&type=&page=). */
export interface UsersFilter {
  search: string;
  status?: UserStatus;
  clientType?: UserClientType;
  page: number;
}

export function usersFilterOf(params: URLSearchParams): UsersFilter {
  return {
    search: (params.get('q') ?? '').trim(),
    status: (params.get('status') as UserStatus | null) ?? undefined,
    clientType: (params.get('type') as UserClientType | null) ?? undefined,
    page: Number(params.get('page') ?? 1) || 1,
  };
}

/** One page of the company's users: the list page and its route loader (which asks for it early) share it. */
export function usersQuery(companyId: string, { search, status, clientType, page }: UsersFilter) {
  return {
    queryKey: ['users', companyId, { search, status, clientType, page }],
    queryFn: () =>
      ok(
        api.GET('/api/v1/companies/{companyId}/users', {
          params: {
            path: { companyId },
            query: { q: search || undefined, status, clientType, page, pageSize: USERS_PAGE_SIZE },
          },
        }),
      ),
  };
}
