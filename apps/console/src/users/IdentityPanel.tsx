import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { ChangeSubmission, UserView } from '../api/types';
import { useFormat } from '../i18n/format';
import { useMe } from '../session/SessionProvider';
import { ChangeOutcome } from '../ui/ChangeOutcome';
import { fieldError, fieldErrorsOf, FormError } from '../ui/form-errors';

/** Identity of a user, its edition and its status changes, each a change request. */
export function IdentityPanel({ user }: { user: UserView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { me } = useMe();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({
    lastName: user.lastName,
    firstName: user.firstName,
    email: user.email,
    phone: (user.phone as string | null) ?? '',
    birthDate: user.birthDate,
  });
  const [outcome, setOutcome] = useState<ChangeSubmission | undefined>();
  const done = (submission: ChangeSubmission) => {
    setOutcome(submission);
    setEditing(false);
    void queryClient.invalidateQueries({ queryKey: ['user', user.id] });
    void queryClient.invalidateQueries({ queryKey: ['users'] });
  };
  const update = useMutation({
    mutationFn: () =>
      ok(
        api.PATCH('/api/v1/users/{userId}', {
          params: { path: { userId: user.id } },
          body: {
            ...(form.lastName !== user.lastName ? { lastName: form.lastName } : {}),
            ...(form.firstName !== user.firstName ? { firstName: form.firstName } : {}),
            ...(form.email !== user.email ? { email: form.email } : {}),
            ...(form.birthDate !== user.birthDate ? { birthDate: form.birthDate } : {}),
            ...(form.phone !== ((user.phone as string | null) ?? '') ? { phone: form.phone || null } : {}),
          },
        }),
      ),
    onSuccess: done,
  });
  const statusChange = useMutation({
    mutationFn: (action: 'activate' | 'suspend' | 'reactivate' | 'delete') => {
      const path = { params: { path: { userId: user.id } } };
      if (action === 'delete') return ok(api.DELETE('/api/v1/users/{userId}', path));
      if (action === 'activate') return ok(api.POST('/api/v1/users/{userId}/activate', path));
      if (action === 'suspend') return ok(api.POST('/api/v1/users/{userId}/suspend', path));
      return ok(api.POST('/api/v1/users/{userId}/reactivate', path));
    },
    onSuccess: done,
  });
  const signature = useMutation({
    mutationFn: (adminSignature: 'NONE' | 'INDIVIDUAL' | 'COLLECTIVE') =>
      ok(api.PUT('/api/v1/users/{userId}/admin-signature', { params: { path: { userId: user.id } }, body: { adminSignature } })),
    onSuccess: done,
  });
  const errors = fieldErrorsOf(update.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate();
  };
  const self = user.id === me.id;

  return (
    <Stack>
      {outcome && <ChangeOutcome submission={outcome} onClose={() => setOutcome(undefined)} />}
      {editing ? (
        <form onSubmit={submit} noValidate>
          <Stack maw={640}>
            <FormError error={update.error} fields={['lastName', 'firstName', 'email', 'phone', 'birthDate']} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('person.lastName')}
                value={form.lastName}
                onChange={(e) => setForm({ ...form, lastName: e.currentTarget.value })}
                error={fieldError(errors, 'lastName')}
                required
              />
              <TextInput
                label={t('person.firstName')}
                value={form.firstName}
                onChange={(e) => setForm({ ...form, firstName: e.currentTarget.value })}
                error={fieldError(errors, 'firstName')}
                required
              />
              <TextInput
                label={t('person.email')}
                type="email"
                value={form.email}
                onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
                error={fieldError(errors, 'email')}
                required
              />
              <TextInput
                label={t('person.phone')}
                type="tel"
                value={form.phone}
                onChange={(e) => setForm({ ...form, phone: e.currentTarget.value })}
                error={fieldError(errors, 'phone')}
                description={t('person.phoneHint')}
              />
              <TextInput
                label={t('person.birthDate')}
                type="date"
                value={form.birthDate}
                onChange={(e) => setForm({ ...form, birthDate: e.currentTarget.value })}
                error={fieldError(errors, 'birthDate')}
                required
              />
            </SimpleGrid>
            <Group>
              <Button type="submit" loading={update.isPending}>
                {t('user.submitChange')}
              </Button>
              <Button variant="default" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2 }} maw={760} spacing="xs" component="dl">
            <Field label={t('person.lastName')} value={user.lastName} />
            <Field label={t('person.firstName')} value={user.firstName} />
            <Field label={t('person.email')} value={user.email} />
            <Field label={t('person.phone')} value={(user.phone as string | null) ?? t('person.noPhone')} />
            <Field label={t('person.birthDate')} value={format.date(user.birthDate)} />
            <Field label={t('users.type')} value={t(`clientType.${user.clientType}`)} />
            <Field label={t('users.signature')} value={t(`adminSignature.${user.adminSignature}`)} />
            <Field label={t('person.activationMode')} value={t(`activationMode.${user.activationMode}`)} />
            <Field label={t('person.language')} value={user.language === 'en' ? 'English' : 'Français'} />
            <Field label={t('users.created')} value={format.dateTime(user.createdAt)} />
          </SimpleGrid>
          {user.status !== 'DELETED' && (
            <Group>
              <Button variant="default" onClick={() => setEditing(true)}>
                {t('user.edit')}
              </Button>
            </Group>
          )}
        </>
      )}
      <FormError error={statusChange.error ?? signature.error} />
      {user.status !== 'DELETED' && !self && (
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('user.statusTitle')}
          </Title>
          <Group>
            {user.status === 'REGISTERED' && (
              <Button variant="default" loading={statusChange.isPending} onClick={() => statusChange.mutate('activate')}>
                {t('user.activate')}
              </Button>
            )}
            {user.status === 'ACTIVE' && (
              <Button variant="default" loading={statusChange.isPending} onClick={() => statusChange.mutate('suspend')}>
                {t('user.suspend')}
              </Button>
            )}
            {user.status === 'SUSPENDED' && (
              <Button variant="default" loading={statusChange.isPending} onClick={() => statusChange.mutate('reactivate')}>
                {t('user.reactivate')}
              </Button>
            )}
            <Button
              color="red"
              variant="outline"
              loading={statusChange.isPending}
              onClick={() =>
                window.confirm(t('user.deleteConfirm', { name: `${user.firstName} ${user.lastName}` })) && statusChange.mutate('delete')
              }
            >
              {t('user.delete')}
            </Button>
          </Group>
          {user.clientType === 'ADMINISTRATOR' && (
            <Select
              label={t('user.adminSignature')}
              description={t('user.adminSignatureHint')}
              value={user.adminSignature}
              data={(['NONE', 'INDIVIDUAL', 'COLLECTIVE'] as const).map((s) => ({ value: s, label: t(`adminSignature.${s}`) }))}
              onChange={(value) =>
                value && value !== user.adminSignature && signature.mutate(value as 'NONE' | 'INDIVIDUAL' | 'COLLECTIVE')
              }
              allowDeselect={false}
              w={280}
            />
          )}
        </Stack>
      )}
    </Stack>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" m={0}>
        {value}
      </Text>
    </div>
  );
}
