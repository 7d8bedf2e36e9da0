import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../session/SessionProvider';
import type { Permissions } from '../session/permissions';
import { ErrorState, Loading } from '../ui/states';
import { Layout } from './Layout';
import { NotFoundPage, RouteErrorPage } from './NotFoundPage';

// Each section is its own chunk: the first load carries only the shell and the sign-in page.
const SignInPage = lazy(() => import('../sign-in/SignInPage'));
const PasswordChangePage = lazy(() => import('../sign-in/PasswordChangePage'));
const TotpEnrolPage = lazy(() => import('../sign-in/TotpEnrolPage'));
const UsersPage = lazy(() => import('../users/UsersPage'));
const UserPage = lazy(() => import('../users/UserPage'));
const AddUserPage = lazy(() => import('../add-user/AddUserPage'));
const AuthorizationsPage = lazy(() => import('../authorizations/AuthorizationsPage'));
const AuthorizationWizard = lazy(() => import('../authorizations/AuthorizationWizard'));
const AuthorizeAllPage = lazy(() => import('../authorizations/AuthorizeAllPage'));
const InboxPage = lazy(() => import('../approvals/InboxPage'));
const MyRequestsPage = lazy(() => import('../requests/MyRequestsPage'));
const PolicyPage = lazy(() => import('../policy/PolicyPage'));
const ReportsPage = lazy(() => import('../reports/ReportsPage'));
const AuditPage = lazy(() => import('../audit/AuditPage'));
const AccountPage = lazy(() => import('../account/AccountPage'));

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
        element: (
          <Page>
            <SignInPage />
          </Page>
        ),
      },
      {
        path: '/first-login/password',
        element: (
          <Page>
            <PasswordChangePage />
          </Page>
        ),
      },
      {
        path: '/first-login/totp',
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
            element: (
              <Allowed when={admin}>
                <UsersPage />
              </Allowed>
            ),
          },
          {
            path: 'users/new',
            element: (
              <Allowed when={admin}>
                <AddUserPage />
              </Allowed>
            ),
          },
          {
            path: 'users/:userId',
            element: (
              <Allowed when={admin}>
                <UserPage />
              </Allowed>
            ),
          },
          {
            path: 'authorizations',
            element: (
              <Allowed when={admin}>
                <AuthorizationsPage />
              </Allowed>
            ),
          },
          {
            path: 'authorizations/new',
            element: (
              <Allowed when={admin}>
                <AuthorizationWizard />
              </Allowed>
            ),
          },
          {
            path: 'authorizations/:authorizationId/edit',
            element: (
              <Allowed when={admin}>
                <AuthorizationWizard />
              </Allowed>
            ),
          },
          {
            path: 'authorizations/authorize-all',
            element: (
              <Allowed when={admin}>
                <AuthorizeAllPage />
              </Allowed>
            ),
          },
          {
            path: 'approvals',
            element: (
              <Allowed when={(p) => p.approve}>
                <InboxPage />
              </Allowed>
            ),
          },
          {
            path: 'requests',
            element: (
              <Allowed when={admin}>
                <MyRequestsPage />
              </Allowed>
            ),
          },
          {
            path: 'policy',
            element: (
              <Allowed when={admin}>
                <PolicyPage />
              </Allowed>
            ),
          },
          {
            path: 'reports',
            element: (
              <Allowed when={(p) => p.orderReports}>
                <ReportsPage />
              </Allowed>
            ),
          },
          {
            path: 'audit',
            element: (
              <Allowed when={(p) => p.readAudit}>
                <AuditPage />
              </Allowed>
            ),
          },
          {
            path: 'account',
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
