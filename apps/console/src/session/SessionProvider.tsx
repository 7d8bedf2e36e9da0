import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useSyncExternalStore } from 'react';
import { api, ok } from '../api/client';
import type { SessionTokens, UserView } from '../api/types';
import { forgetDrafts } from './drafts';
import { type Permissions, permissionsOf } from './permissions';
import { type SessionSnapshot, sessionStore } from './session-store';

interface SessionContextValue {
  session: SessionSnapshot;
  me: UserView | undefined;
  meLoading: boolean;
  meError: unknown;
  permissions: Permissions | undefined;
  /** Keeps the tokens of a sign-in; answers whether the same person as before signed in (drafts are kept only then). */
  signedIn: (tokens: SessionTokens, loginId: string) => Promise<UserView>;
  signOut: () => Promise<void>;
}

/** The signed-in person's profile (GET /auth/me). */
export const meQueryOptions = {
  queryKey: ['me'],
  queryFn: () => ok(api.GET('/api/v1/auth/me')),
  staleTime: 5 * 60_000,
};

/**
 * Asks for the profile as the page starts, before React's first render (which needs it before
 * anything of a signed-in page can show), when this tab has an open session.
 */
export function prefetchMe(queryClient: QueryClient): void {
  const session = sessionStore.getSnapshot();
  if (session.status === 'active') void queryClient.prefetchQuery(meQueryOptions);
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.getSnapshot);
  const queryClient = useQueryClient();
  const full = session.status !== 'signed-out';
  const meQuery = useQuery({ ...meQueryOptions, enabled: full });
  const me = full ? meQuery.data : undefined;
  const rightsQuery = useQuery({
    queryKey: ['effective-rights', me?.id],
    queryFn: () => ok(api.GET('/api/v1/users/{userId}/effective-rights', { params: { path: { userId: me!.id } } })),
    enabled: session.status === 'active' && session.scope === 'full' && !!me && me.clientType !== 'ADMINISTRATOR',
    staleTime: 60_000,
  });

  const signedIn = useCallback(
    async (tokens: SessionTokens, loginId: string) => {
      const previous = queryClient.getQueryData<UserView>(['me']);
      sessionStore.signedIn(tokens, loginId);
      const user = await queryClient.fetchQuery({ ...meQueryOptions, staleTime: 0 });
      if (previous && previous.id !== user.id) {
        // Somebody else on this tab: nothing of the previous person's work stays visible.
        forgetDrafts(user.id);
        queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      } else {
        await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      }
      return user;
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    const token = sessionStore.currentAccessToken();
    if (token) await fetch('/api/v1/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
    sessionStore.signedOut();
    forgetDrafts();
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      me,
      meLoading: meQuery.isLoading,
      meError: meQuery.error,
      permissions: me ? permissionsOf(me, rightsQuery.data) : undefined,
      signedIn,
      signOut,
    }),
    [session, me, meQuery.isLoading, meQuery.error, rightsQuery.data, signedIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in person, inside the pages that need a session (the layout guarantees it). */
export function useMe(): { me: UserView; permissions: Permissions } {
  const { me, permissions } = useSession();
  if (!me || !permissions) throw new Error('useMe without a signed-in user');
  return { me, permissions };
}
