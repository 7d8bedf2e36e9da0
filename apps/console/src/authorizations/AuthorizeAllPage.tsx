import { Button, Group, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { ChangeSubmission } from '../api/types';
import { useCompanyResources } from '../add-user/RightsChooser';
import { useCatalog } from '../api/queries';
import { useMe } from '../session/SessionProvider';
import { ChangeOutcome } from '../ui/ChangeOutcome';
import { ChangeSummary, useChangePreview } from '../ui/ChangeSummary';
import { fieldError, fieldErrorsOf, FormError } from '../ui/form-errors';
import { useCatalogLabels } from '../ui/labels';
import { PageHeader } from '../ui/PageHeader';
import { UserPicker } from '../ui/UserPicker';

type Profile = 'CONSULT' | 'MANAGE' | 'VALIDATE';
const PROFILES: Profile[] = ['CONSULT', 'MANAGE', 'VALIDATE'];
const SERVICES = ['EINVOICING', 'ACCOUNTING_PORTAL', 'EDI', 'REPORTS'];

/**
 * Seed 002 "Tout autoriser": one profile per contract type, valid for every contract of the
 * company; where a profile is not allowed, the closest lower one is given. The summary lists
 * those substitutions before anything is submitted.
 */
export default function AuthorizeAllPage() {
  const { t } = useTranslation();
  const { me } = useMe();
  const catalog = useCatalog();
  const labels = useCatalogLabels(catalog.data);
  const resources = useCompanyResources();
  const [userId, setUserId] = useState<string | null>(null);
  const [contractTypes, setContractTypes] = useState<Record<string, Profile | ''>>({});
  const [services, setServices] = useState<Record<string, Profile | ''>>({});
  const [reviewing, setReviewing] = useState(false);
  const [outcome, setOutcome] = useState<ChangeSubmission | undefined>();
  const types = [...new Set((resources.data?.items ?? []).map((r) => r.contractType))];
  const body = {
    contractTypes: Object.entries(contractTypes)
      .filter(([, p]) => p)
      .map(([contractType, profile]) => ({ contractType, profile: profile as Profile })),
    services: Object.entries(services)
      .filter(([, p]) => p)
      .map(([service, profile]) => ({ service, profile: profile as Profile })),
  };
  const items = userId ? [{ kind: 'RIGHTS_AUTHORIZE_ALL' as const, payload: { userId, ...body } }] : [];
  const preview = useChangePreview(items, reviewing && !!userId);
  const submit = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/users/{userId}/rights/authorize-all', { params: { path: { userId: userId! } }, body })),
    onSuccess: setOutcome,
  });
  const errors = fieldErrorsOf(submit.error);
  const profileOptions = [
    { value: '', label: t('authorizeAll.nothing') },
    ...PROFILES.map((p) => ({ value: p, label: t(`authorizeAll.profiles.${p}`) })),
  ];
  if (outcome)
    return (
      <>
        <PageHeader title={t('authorizeAll.title')} />
        <ChangeOutcome
          submission={outcome}
          onClose={() => {
            setOutcome(undefined);
            setReviewing(false);
          }}
        />
      </>
    );
  return (
    <>
      <PageHeader title={t('authorizeAll.title')} description={t('authorizeAll.description')} />
      <Paper withBorder p="lg" maw={860}>
        {!reviewing ? (
          <Stack>
            <UserPicker
              label={t('authorizeAll.user')}
              value={userId}
              onChange={setUserId}
              status="ACTIVE"
              error={fieldError(errors, 'userId')}
              exclude={[me.id]}
            />
            <Title order={2} size="h4">
              {t('authorizeAll.perContractType')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {types.map((type) => (
                <Select
                  key={type}
                  label={t(`contractTypes.${type}` as 'contractTypes.CURRENT_ACCOUNT', { defaultValue: type })}
                  value={contractTypes[type] ?? ''}
                  onChange={(v) => setContractTypes({ ...contractTypes, [type]: (v ?? '') as Profile | '' })}
                  data={profileOptions}
                  allowDeselect={false}
                />
              ))}
            </SimpleGrid>
            <Title order={2} size="h4">
              {t('authorizeAll.perService')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {SERVICES.map((service) => (
                <Select
                  key={service}
                  label={labels.service(service)}
                  value={services[service] ?? ''}
                  onChange={(v) => setServices({ ...services, [service]: (v ?? '') as Profile | '' })}
                  data={profileOptions}
                  allowDeselect={false}
                />
              ))}
            </SimpleGrid>
            <Group>
              <Button onClick={() => setReviewing(true)} disabled={!userId || body.contractTypes.length + body.services.length === 0}>
                {t('common.next')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Stack>
            <Text size="sm">{t('authorizeAll.reviewIntro')}</Text>
            <ChangeSummary preview={preview} />
            <FormError error={submit.error} />
            <Group>
              <Button variant="default" onClick={() => setReviewing(false)}>
                {t('common.back')}
              </Button>
              <Button onClick={() => submit.mutate()} loading={submit.isPending} disabled={preview.isPending || preview.isError}>
                {t('common.confirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Paper>
    </>
  );
}
