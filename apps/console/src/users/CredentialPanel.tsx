import { Alert, Button, Checkbox, Group, Paper, Radio, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { ChangeSubmission, CredentialView, UserView } from '../api/types';
import { useFormat } from '../i18n/format';
import { ChangeOutcome } from '../ui/ChangeOutcome';
import { fieldError, fieldErrorsOf, FormError } from '../ui/form-errors';
import { EmptyState, QueryState } from '../ui/states';
import { StatusBadge } from '../ui/StatusBadge';
import { TotpField } from '../ui/TotpField';

/** The user's credential (seed 000 "Configuration de l'identifiant"): status, lock-out, unlock, reset, creation. */
export function CredentialPanel({ user }: { user: UserView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const credentials = useQuery({
    queryKey: ['credentials', user.id],
    queryFn: () => ok(api.GET('/api/v1/users/{userId}/credentials', { params: { path: { userId: user.id } } })),
  });
  const [outcome, setOutcome] = useState<ChangeSubmission | undefined>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['credentials', user.id] });
  const welcome = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/users/{userId}/welcome-email', { params: { path: { userId: user.id } } })),
  });
  return (
    <Stack>
      {outcome && <ChangeOutcome submission={outcome} onClose={() => setOutcome(undefined)} />}
      <QueryState query={credentials}>
        {(list) => {
          const current = list.find((c) => c.status === 'ACTIVE');
          return (
            <Stack>
              {list.length === 0 && <EmptyState title={t('credential.none')} hint={t('credential.noneHint')} />}
              {list.map((credential) => (
                <CredentialCard
                  key={credential.id}
                  credential={credential}
                  onChanged={(s) => {
                    if (s) setOutcome(s);
                    void refresh();
                  }}
                />
              ))}
              {current && (
                <Group>
                  <Button variant="default" loading={welcome.isPending} onClick={() => welcome.mutate()}>
                    {t('credential.resendWelcome')}
                  </Button>
                  {welcome.data && (
                    <Text size="sm" role="status">
                      {t('credential.welcomeSent', { to: welcome.data.sentTo })}
                    </Text>
                  )}
                </Group>
              )}
              <FormError error={welcome.error} />
              {!current && user.status !== 'DELETED' && (
                <CreateCredentialForm
                  user={user}
                  onCreated={(s) => {
                    setOutcome(s);
                    void refresh();
                  }}
                />
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}

function CredentialCard({ credential, onChanged }: { credential: CredentialView; onChanged: (s?: ChangeSubmission) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [resetTotp, setResetTotp] = useState(false);
  const lockedUntil = credential.lockedUntil as string | null | undefined;
  const validUntil = credential.validUntil as string | null | undefined;
  const unlock = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/credentials/{credentialId}/unlock', { params: { path: { credentialId: credential.id } } })),
    onSuccess: () => onChanged(),
  });
  const reset = useMutation({
    mutationFn: () =>
      ok(api.POST('/api/v1/credentials/{credentialId}/reset', { params: { path: { credentialId: credential.id } }, body: { resetTotp } })),
    onSuccess: onChanged,
  });
  const revoke = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/credentials/{credentialId}/revoke', { params: { path: { credentialId: credential.id } } })),
    onSuccess: onChanged,
  });
  const active = credential.status === 'ACTIVE';
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('credential.loginId')} <code>{credential.loginId}</code>
        </Title>
        <Group gap="xs">
          <StatusBadge status={credential.status} />
          {credential.locked && <StatusBadge status="LOCKED" />}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        <Text size="sm">
          {t('credential.type')}: {t(`credentialType.${credential.type}`)}
          {validUntil ? ` (${t('credential.until', { date: format.dateTime(validUntil) })})` : ''}
        </Text>
        <Text size="sm">
          {t('credential.bankingPower')}: {credential.bankingPower ? t('common.yes') : t('common.no')}
        </Text>
        <Text size="sm">
          {t('credential.totp')}: {credential.totpEnrolled ? t('credential.totpEnrolled') : t('credential.totpNotEnrolled')}
        </Text>
        <Text size="sm">
          {t('credential.password')}: {credential.passwordChangeRequired ? t('credential.provisional') : t('credential.chosen')}
        </Text>
        <Text size="sm">
          {t('credential.created')}: {format.dateTime(credential.createdAt)}
        </Text>
      </SimpleGrid>
      {credential.locked && (
        <Alert color="red" variant="light" mt="sm" title={t('credential.lockedTitle')}>
          <Text size="sm">{t('credential.lockedText', { until: format.dateTime(lockedUntil) })}</Text>
          <Button mt="xs" size="xs" loading={unlock.isPending} onClick={() => unlock.mutate()}>
            {t('credential.unlock')}
          </Button>
        </Alert>
      )}
      {active && (
        <Group mt="md" align="flex-end">
          <Checkbox label={t('credential.resetTotp')} checked={resetTotp} onChange={(e) => setResetTotp(e.currentTarget.checked)} />
          <Button variant="default" loading={reset.isPending} onClick={() => reset.mutate()}>
            {t('credential.reset')}
          </Button>
          <Button
            color="red"
            variant="outline"
            loading={revoke.isPending}
            onClick={() => window.confirm(t('credential.revokeConfirm')) && revoke.mutate()}
          >
            {t('credential.revoke')}
          </Button>
        </Group>
      )}
      <FormError error={unlock.error ?? reset.error ?? revoke.error} />
    </Paper>
  );
}

export interface CredentialChoice {
  type: 'PERMANENT' | 'TEMPORARY';
  validUntil: string;
  bankingPower: boolean;
  /** Seed 003's "Envoyer un email": unticked, the welcome e-mail is sent later from the profile. */
  sendWelcomeEmail: boolean;
}

export const defaultCredentialChoice = (): CredentialChoice => ({
  type: 'PERMANENT',
  validUntil: '',
  bankingPower: false,
  sendWelcomeEmail: true,
});

/** The API's fields for a credential chosen in the form (the user's id aside). */
export function credentialPayload(c: CredentialChoice) {
  return {
    type: c.type,
    bankingPower: c.bankingPower,
    ...(c.type === 'TEMPORARY' ? { validUntil: endOfDay(c.validUntil) } : {}),
    ...(c.sendWelcomeEmail ? {} : { sendWelcomeEmail: false }),
  };
}

/** Permanent or temporary, with or without banking power (seed 000), the fields of a credential. */
export function CredentialFields({
  value,
  onChange,
  errors,
}: {
  value: CredentialChoice;
  onChange: (v: CredentialChoice) => void;
  errors: Record<string, string[]>;
}) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Radio.Group
        label={t('credential.type')}
        value={value.type}
        onChange={(type) => onChange({ ...value, type: type as CredentialChoice['type'] })}
        error={fieldError(errors, 'type')}
      >
        <Group mt={4}>
          <Radio value="PERMANENT" label={t('credentialType.PERMANENT')} />
          <Radio value="TEMPORARY" label={t('credentialType.TEMPORARY')} />
        </Group>
      </Radio.Group>
      {value.type === 'TEMPORARY' && (
        <TextInput
          label={t('credential.validUntil')}
          type="date"
          value={value.validUntil}
          onChange={(e) => onChange({ ...value, validUntil: e.currentTarget.value })}
          error={fieldError(errors, 'validUntil')}
          required
          w={220}
        />
      )}
      <Checkbox
        label={t('credential.bankingPowerLabel')}
        description={t('credential.bankingPowerHint')}
        checked={value.bankingPower}
        onChange={(e) => onChange({ ...value, bankingPower: e.currentTarget.checked })}
        error={fieldError(errors, 'bankingPower')}
      />
      <Checkbox
        label={t('credential.sendWelcomeLabel')}
        description={t('credential.sendWelcomeHint')}
        checked={value.sendWelcomeEmail}
        onChange={(e) => onChange({ ...value, sendWelcomeEmail: e.currentTarget.checked })}
        error={fieldError(errors, 'sendWelcomeEmail')}
      />
    </Stack>
  );
}

/** A date typed in a date field, as the end of that day in the user's time zone (ISO). */
export function endOfDay(date: string): string | undefined {
  return date ? new Date(`${date}T23:59:59`).toISOString() : undefined;
}

function CreateCredentialForm({ user, onCreated }: { user: UserView; onCreated: (s: ChangeSubmission) => void }) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<CredentialChoice>(defaultCredentialChoice);
  const [totpCode, setTotpCode] = useState('');
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/users/{userId}/credentials', {
          params: { path: { userId: user.id } },
          body: { ...credentialPayload(choice), totpCode },
        }),
      ),
    onSuccess: (s) => {
      setTotpCode('');
      onCreated(s);
    },
  });
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} noValidate>
      <Stack maw={560}>
        <Title order={2} size="h4">
          {t('credential.create')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('credential.createHint')}
        </Text>
        <FormError error={create.error} fields={['type', 'validUntil', 'bankingPower', 'totpCode']} />
        <CredentialFields value={choice} onChange={setChoice} errors={errors} />
        <TotpField value={totpCode} onChange={setTotpCode} error={fieldError(errors, 'totpCode')} />
        <Group>
          <Button type="submit" loading={create.isPending} disabled={totpCode.length !== 6}>
            {t('credential.createSubmit')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
