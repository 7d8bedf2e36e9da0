import { Alert, Button, Group, Paper, PasswordInput, Select, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, ok } from '../api/client';
import { useSession, useMe } from '../session/SessionProvider';
import { PasswordChangeForm } from '../sign-in/PasswordChangeForm';
import { TotpEnrolment } from '../sign-in/TotpEnrolment';
import { EffectiveRights } from '../users/EffectiveRights';
import { SignaturesTable } from '../users/EdiPanel';
import { fieldError, fieldErrorsOf, FormError } from '../ui/form-errors';
import { PageHeader } from '../ui/PageHeader';
import { TotpField } from '../ui/TotpField';

const TABS = ['rights', 'password', 'totp', 'edi'] as const;

/** My account: my rights, my password and strong authentication, my EDI signature (seed 004). */
export default function AccountPage() {
  const { t } = useTranslation();
  const { me } = useMe();
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? params.get('tab')! : 'rights';
  return (
    <>
      <PageHeader title={t('account.title')} description={t('account.description', { name: `${me.firstName} ${me.lastName}` })} />
      {params.get('enrolled') && (
        <Alert color="green" mb="md" role="status">
          {t('account.enrolled')}
        </Alert>
      )}
      <Tabs value={tab} onChange={(v) => setParams({ tab: v ?? 'rights' }, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          {TABS.map((name) => (
            <Tabs.Tab key={name} value={name}>
              {t(`account.tabs.${name}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="rights">
          <EffectiveRights userId={me.id} showResources={me.clientType === 'ADMINISTRATOR'} own />
        </Tabs.Panel>
        <Tabs.Panel value="password">
          <PasswordTab />
        </Tabs.Panel>
        <Tabs.Panel value="totp">
          <TotpTab />
        </Tabs.Panel>
        <Tabs.Panel value="edi">
          <EdiTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function PasswordTab() {
  const { t } = useTranslation();
  const { me } = useMe();
  const { session, signedIn } = useSession();
  const [done, setDone] = useState(false);
  return (
    <Paper withBorder p="md" maw={560}>
      {done && (
        <Alert color="green" mb="md" role="status">
          {t('account.passwordChanged')}
        </Alert>
      )}
      <PasswordChangeForm
        person={me}
        loginId={session.loginId}
        currentLabel={t('password.current')}
        submitLabel={t('password.submit')}
        onChanged={async (tokens) => {
          await signedIn(tokens, session.loginId ?? '');
          setDone(true);
        }}
      />
    </Paper>
  );
}

function TotpTab() {
  const { t } = useTranslation();
  const { me } = useMe();
  const { session, signedIn } = useSession();
  const [starting, setStarting] = useState(false);
  const credentials = useQuery({
    queryKey: ['credentials', me.id],
    queryFn: () => ok(api.GET('/api/v1/users/{userId}/credentials', { params: { path: { userId: me.id } } })),
    retry: false,
  });
  const enrolled = credentials.data?.find((c) => c.status === 'ACTIVE')?.totpEnrolled;
  if (enrolled) return <Alert color="green">{t('account.totpEnrolled')}</Alert>;
  return (
    <Paper withBorder p="md" maw={640}>
      {starting ? (
        <TotpEnrolment
          onEnrolled={async (tokens) => {
            await signedIn(tokens, session.loginId ?? '');
            setStarting(false);
            void credentials.refetch();
          }}
        />
      ) : (
        <Stack>
          <Text size="sm">{t('account.totpIntro')}</Text>
          <Group>
            <Button onClick={() => setStarting(true)}>{t('account.totpStart')}</Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}

/** Seed 004 "Créer une signature": the confidential code e-mailed to the administrator, a validity, a password typed twice. */
function EdiTab() {
  const { t } = useTranslation();
  const { me } = useMe();
  const queryClient = useQueryClient();
  const signatures = useQuery({
    queryKey: ['edi-signatures', me.id],
    queryFn: () => ok(api.GET('/api/v1/users/{userId}/edi-signatures', { params: { path: { userId: me.id } } })),
  });
  const [form, setForm] = useState({ code: '', validityYears: '1', password: '', passwordConfirmation: '', totpCode: '' });
  const [verifyPassword, setVerifyPassword] = useState('');
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/users/{userId}/edi-signatures', {
          params: { path: { userId: me.id } },
          body: { ...form, validityYears: Number(form.validityYears) as 1 | 2 | 3 },
        }),
      ),
    onSuccess: () => {
      setForm({ code: '', validityYears: '1', password: '', passwordConfirmation: '', totpCode: '' });
      void queryClient.invalidateQueries({ queryKey: ['edi-signatures', me.id] });
    },
  });
  const active = signatures.data?.find((s) => s.status === 'ACTIVE');
  const verify = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/edi-signatures/{signatureId}/verify', {
          params: { path: { signatureId: active!.id } },
          body: { password: verifyPassword },
        }),
      ),
  });
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Stack maw={720}>
      <Text size="sm">{t('edi.userIntro')}</Text>
      <SignaturesTable query={signatures} />
      {!active && (
        <Paper withBorder p="md" component="form" onSubmit={submit} noValidate>
          <Stack maw={480}>
            <Title order={2} size="h4">
              {t('edi.create')}
            </Title>
            <FormError error={create.error} fields={['code', 'validityYears', 'password', 'passwordConfirmation', 'totpCode']} />
            <TextInput
              label={t('edi.code')}
              description={t('edi.codeHint')}
              value={form.code}
              onChange={(e) => setForm({ ...form, code: e.currentTarget.value })}
              error={fieldError(errors, 'code')}
              required
              autoComplete="off"
            />
            <Select
              label={t('edi.validity')}
              value={form.validityYears}
              onChange={(v) => v && setForm({ ...form, validityYears: v })}
              data={['1', '2', '3'].map((y) => ({ value: y, label: t('edi.years', { count: Number(y) }) }))}
              allowDeselect={false}
              error={fieldError(errors, 'validityYears')}
            />
            <PasswordInput
              label={t('edi.password')}
              description={t('edi.passwordHint')}
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
              error={fieldError(errors, 'password')}
              required
              autoComplete="new-password"
            />
            <PasswordInput
              label={t('edi.passwordConfirmation')}
              value={form.passwordConfirmation}
              onChange={(e) => setForm({ ...form, passwordConfirmation: e.currentTarget.value })}
              error={fieldError(errors, 'passwordConfirmation')}
              required
              autoComplete="new-password"
            />
            <TotpField
              value={form.totpCode}
              onChange={(totpCode) => setForm({ ...form, totpCode })}
              error={fieldError(errors, 'totpCode')}
            />
            <Group>
              <Button type="submit" loading={create.isPending}>
                {t('edi.save')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
      {active && (
        <Paper
          withBorder
          p="md"
          component="form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            verify.mutate();
          }}
          noValidate
        >
          <Stack maw={480}>
            <Title order={2} size="h4">
              {t('edi.verify')}
            </Title>
            <PasswordInput
              label={t('edi.password')}
              value={verifyPassword}
              onChange={(e) => setVerifyPassword(e.currentTarget.value)}
              autoComplete="current-password"
            />
            <Group>
              <Button type="submit" variant="default" loading={verify.isPending}>
                {t('edi.verifySubmit')}
              </Button>
            </Group>
            {verify.data && (
              <Alert color={verify.data.valid ? 'green' : 'red'} role="status">
                {verify.data.valid ? t('edi.valid') : t('edi.invalid')}
              </Alert>
            )}
            <FormError error={verify.error} />
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
