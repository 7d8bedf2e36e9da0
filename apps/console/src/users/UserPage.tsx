import { Anchor, Breadcrumbs, Group, Tabs, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useUser } from '../api/queries';
import { PageHeader } from '../ui/PageHeader';
import { QueryState } from '../ui/states';
import { StatusBadge } from '../ui/StatusBadge';
import { CredentialPanel } from './CredentialPanel';
import { EdiPanel } from './EdiPanel';
import { HistoryPanel } from './HistoryPanel';
import { IdentityPanel } from './IdentityPanel';
import { RightsPanel } from './RightsPanel';

const TABS = ['identity', 'credential', 'rights', 'edi', 'history'] as const;
type Tab = (typeof TABS)[number];

/** One user: identity, credential, rights with their reasons, EDI signature and history. */
export default function UserPage() {
  const { t } = useTranslation();
  const { userId } = useParams();
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'identity';
  const user = useUser(userId);
  return (
    <QueryState query={user}>
      {(user) => (
        <>
          <Breadcrumbs mb="xs" aria-label={t('common.breadcrumbs')}>
            <Anchor component={Link} to="/users">
              {t('users.title')}
            </Anchor>
            <Text>
              {user.firstName} {user.lastName}
            </Text>
          </Breadcrumbs>
          <PageHeader
            title={`${user.firstName} ${user.lastName}`}
            description={
              <Group gap="xs" component="span">
                <span>{user.email}</span>
                <StatusBadge status={user.status} />
              </Group>
            }
          />
          <Tabs value={tab} onChange={(value) => setParams({ tab: value ?? 'identity' }, { replace: true })} keepMounted={false}>
            <Tabs.List mb="md">
              {TABS.map((name) => (
                <Tabs.Tab key={name} value={name}>
                  {t(`user.tabs.${name}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="identity">
              <IdentityPanel user={user} />
            </Tabs.Panel>
            <Tabs.Panel value="credential">
              <CredentialPanel user={user} />
            </Tabs.Panel>
            <Tabs.Panel value="rights">
              <RightsPanel user={user} />
            </Tabs.Panel>
            <Tabs.Panel value="edi">
              <EdiPanel user={user} />
            </Tabs.Panel>
            <Tabs.Panel value="history">
              <HistoryPanel user={user} />
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </QueryState>
  );
}
