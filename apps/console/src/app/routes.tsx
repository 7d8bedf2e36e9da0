import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, type LoaderFunctionArgs, Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../session/SessionProvider';
import { sessionStore } from '../session/session-store';
import { usersFilterOf, usersQuery } from '../users/users-query';
import { queryClient } from './query-client';
import type { Permissions } from '../session/permissions';
import { ErrorState, Loading } from '../ui/states';
import { Layout } from './Layout';
import { NotFoundPage, RouteErrorPage } from './NotFoundPage';

// Each section is its own chunk: the first load carries only the shell and the sign-in page.
// A route's loader starts fetching its chunk as the navigation starts, not once the person's
// profile has arrived and the section renders.
const chunks = {
  signIn: () => import('../sign-in/SignInPage'),
  passwordChange: () => import('../sign-in/PasswordChangePage'),
  totpEnrol: () => import('../sign-in/TotpEnrolPage'),
  users: () => import('../users/UsersPage'),
  user: () => import('../users/UserPage'),
  addUser: () => import('../add-user/AddUserPage'),
  authorizations: () => import('../authorizations/AuthorizationsPage'),
  authorizationWizard: () => import('../authorizations/AuthorizationWizard'),
  authorizeAll: () => import('../authorizations/AuthorizeAllPage'),
  inbox: () => import('../approvals/InboxPage'),
  myRequests: () => import('../requests/MyRequestsPage'),
  policy: () => import('../policy/PolicyPage'),
  reports: () => import('../reports/ReportsPage'),
  audit: () => import('../audit/AuditPage'),
  account: () => import('../account/AccountPage'),
};
const SignInPage = lazy(chunks.signIn);
const PasswordChangePage = lazy(chunks.passwordChange);
const TotpEnrolPage = lazy(chunks.totpEnrol);
const UsersPage = lazy(chunks.users);
const UserPage = lazy(chunks.user);
const AddUserPage = lazy(chunks.addUser);
const AuthorizationsPage = lazy(chunks.authorizations);
const AuthorizationWizard = lazy(chunks.authorizationWizard);
const AuthorizeAllPage = lazy(chunks.authorizeAll);
const InboxPage = lazy(chunks.inbox);
const MyRequestsPage = lazy(chunks.myRequests);
const PolicyPage = lazy(chunks.policy);
const ReportsPage = lazy(chunks.reports);
const AuditPage = lazy(chunks.audit);
const AccountPage = lazy(chunks.account);

/** A loader that only starts fetching the section's code (module imports are cached: React.lazy finds it loaded). */
const preload = (chunk: () => Promise<unknown>) => () => {
  void chunk();
  return null;
};

/**
 * The users list is the administrators' home: its first page is asked for as the navigation
 * starts (the company is in the session's token), beside the page's code and the person's
 * profile, instead of after both. The page's own query finds it in the cache.
 */
function usersLoader({ request }: LoaderFunctionArgs) {
  void chunks.users();
  const session = sessionStore.getSnapshot();
  if (session.status === 'active' && session.scope === 'full' && session.clientType === 'ADMINISTRATOR' && session.companyId)
    void queryClient.prefetchQuery(usersQuery(session.companyId, usersFilterOf(new URL(request.url).searchParams)));
  return null;
}

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

/** Pages of a signed-in person: the first-login steps come first, whatever was asked for. */
function Authenticated() {
  const { session, me, meError } = useSession();
  const location = useLocation();
  if (session.status === 'signed-out') {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (session.scope === 'password-change') return <Navigate to="/first-login/password" replace />;
  if (session.scope === 'totp-enrolment') return <Navigate to="/first-login/totp" replace />;
  if (!me) return meError && session.status === 'active' ? <ErrorState error={meError} /> : <Loading />;
  return <Layout />;
}

/** A section shown only to those the navigation offers it to. */
function Allowed({ when, children }: { when: (p: Permissions) => boolean; children: ReactNode }) {
  const { permissions } = useSession();
  if (!permissions) return <Loading />;
  return when(permissions) ? <Page>{children}</Page> : <Navigate to="/account" replace />;
}

function Home() {
  const { permissions } = useSession();
  return <Navigate to={permissions?.administer ? '/users' : permissions?.orderReports ? '/reports' : '/account'} replace />;
}

const admin = (p: Permissions) => p.administer;

export const router = createBrowserRouter([
  {
    errorElement: <RouteErrorPage />,
    element: <Outlet />,
    children: [
      {
        path: '/sign-in',
        loader: preload(chunks.signIn),
        element: (
          <Page>
            <SignInPage />
          </Page>
        ),
      },
      {
        path: '/first-login/password',
        loader: preload(chunks.passwordChange),
        element: (
          <Page>
            <PasswordChangePage />
          </Page>
        ),
      },
      {
        path: '/first-login/totp',
        loader: preload(chunks.totpEnrol),
        element: (
          <Page>
            <TotpEnrolPage />
          </Page>
        ),
      },
      {
        element: <Authenticated />,
        children: [
          { index: true, element: <Home /> },
          {
            path: 'users',
            loader: usersLoader,
            element: (
              <Allowed when={admin}>
                <UsersPage />
              </Allowed>
            ),
          },
          {
            path: 'users/new',
            loader: preload(chunks.addUser),
            element: (
              <Allowed when={admin}>
                <AddUserPage />
              </Allowed>
            ),
          },
          {
            path: 'users/:userId',
            loader: preload(chunks.user),
            element: (
              <Allowed when={admin}>
                <UserPage />
              </Allowed>
            ),
          },
          {
            path: 'authorizations',
            loader: preload(chunks.authorizations),
            element: (
              <Allowed when={admin}>
                <AuthorizationsPage />
              </Allowed>
            ),
          },
          {
            path: 'authorizations/new',
            loader: preload(chunks.authorizationWizard),
            element: (
              <Allowed when={admin}>
                <AuthorizationWizard />
              </Allowed>
            ),
          },
          {
            path: 'authorizations/:authorizationId/edit',
            loader: preload(chunks.authorizationWizard),
            element: (
              <Allowed when={admin}>
                <AuthorizationWizard />
              </Allowed>
            ),
          },
          {
            path: 'authorizations/authorize-all',
            loader: preload(chunks.authorizeAll),
            element: (
              <Allowed when={admin}>
                <AuthorizeAllPage />
              </Allowed>
            ),
          },
          {
            path: 'approvals',
            loader: preload(chunks.inbox),
            element: (
              <Allowed when={(p) => p.approve}>
                <InboxPage />
              </Allowed>
            ),
          },
          {
            path: 'requests',
            loader: preload(chunks.myRequests),
            element: (
              <Allowed when={admin}>
                <MyRequestsPage />
              </Allowed>
            ),
          },
          {
            path: 'policy',
            loader: preload(chunks.policy),
            element: (
              <Allowed when={admin}>
                <PolicyPage />
              </Allowed>
            ),
          },
          {
            path: 'reports',
            loader: preload(chunks.reports),
            element: (
              <Allowed when={(p) => p.orderReports}>
                <ReportsPage />
              </Allowed>
            ),
          },
          {
            path: 'audit',
            loader: preload(chunks.audit),
            element: (
              <Allowed when={(p) => p.readAudit}>
                <AuditPage />
              </Allowed>
            ),
          },
          {
            path: 'account',
            loader: preload(chunks.account),
            element: (
              <Page>
                <AccountPage />
              </Page>
            ),
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
