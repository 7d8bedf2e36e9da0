import { AppShell, Badge, Burger, Button, Group, NavLink, SegmentedControl, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { api, ok } from '../api/client';
import { type Language, setLanguage } from '../i18n/i18n';
import { CompanySwitcher } from '../session/CompanySwitcher';
import { SessionExpiryWarning } from '../session/SessionExpiryWarning';
import { useMe, useSession } from '../session/SessionProvider';
import { NAVIGATION } from './navigation';

// Only needed once a session ends: its code (a dialog, the sign-in form) stays out of the first load.
const ReauthModal = lazy(() => import('../session/ReauthModal'));
const StepUpModal = lazy(() => import('../session/StepUpModal'));

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('common.language')}
      value={i18n.language === 'en' ? 'en' : 'fr'}
      onChange={(value) => void setLanguage(value as Language)}
      data={[
        { value: 'fr', label: 'FR' },
        { value: 'en', label: 'EN' },
      ]}
    />
  );
}

export function Layout() {
  const { t } = useTranslation();
  const { me, permissions } = useMe();
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const company = useQuery({
    queryKey: ['company', me.companyId],
    queryFn: () => ok(api.GET('/api/v1/companies/{companyId}', { params: { path: { companyId: me.companyId } } })),
    staleTime: 10 * 60_000,
    retry: false,
    // The API lets an administrator read their own company, nobody else.
    enabled: me.clientType === 'ADMINISTRATOR',
  });
  const pending = useQuery({
    queryKey: ['change-requests', 'pending-count', me.companyId],
    queryFn: () =>
      ok(
        api.GET('/api/v1/companies/{companyId}/change-requests', {
          params: { path: { companyId: me.companyId }, query: { status: 'PENDING', pageSize: 1 } },
        }),
      ),
    enabled: permissions.approve,
    refetchInterval: 60_000,
  });

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Text fw={700} size="lg">
              Procura
            </Text>
            {company.data && (
              <Text size="sm" c="dimmed" visibleFrom="sm" truncate>
                {company.data.name}
              </Text>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="sm">
              {me.firstName} {me.lastName}
            </Text>
            <CompanySwitcher />
            <LanguageSwitch />
            <Button
              size="xs"
              variant="default"
              onClick={() => {
                void signOut().then(() => navigate('/sign-in'));
              }}
            >
              {t('nav.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.label')} component="nav">
        {NAVIGATION.filter((item) => item.allowed(permissions)).map((item) => (
          <NavLink
            key={item.to}
            component={RouterNavLink}
            to={item.to}
            end
            label={t(item.label)}
            active={
              location.pathname === item.to ||
              (item.to !== '/users/new' && item.to !== '/users' && location.pathname.startsWith(`${item.to}/`)) ||
              (item.to === '/users' && /^\/users\/(?!new)/.test(location.pathname))
            }
            onClick={close}
            rightSection={
              item.to === '/approvals' && pending.data?.total ? (
                <Badge size="sm" circle aria-label={t('nav.pendingCount', { count: pending.data.total })}>
                  {pending.data.total}
                </Badge>
              ) : undefined
            }
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <SessionExpiryWarning />
        <Outlet />
        {session.status === 'expired' && (
          <Suspense fallback={null}>
            <ReauthModal />
          </Suspense>
        )}
        <Suspense fallback={null}>
          <StepUpModal />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
