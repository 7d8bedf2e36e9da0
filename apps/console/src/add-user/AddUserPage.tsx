import { Alert, Button, Checkbox, Group, Paper, Radio, Stack, Stepper, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { asApiError } from '../api/errors';
import type { ChangeItemInput, ChangeSubmission } from '../api/types';
import { hasDraft, useDraft } from '../session/drafts';
import { useMe } from '../session/SessionProvider';
import { type CredentialChoice, CredentialFields, credentialPayload, defaultCredentialChoice } from '../users/CredentialPanel';
import { ChangeOutcome } from '../ui/ChangeOutcome';
import { ChangeSummary, useChangePreview } from '../ui/ChangeSummary';
import { fieldErrorsOf, FormError } from '../ui/form-errors';
import { PageHeader } from '../ui/PageHeader';
import { UserPicker } from '../ui/UserPicker';
import { emptyPerson, PersonFields, type PersonDraft, personPayload, personProblems } from './PersonFields';
import { emptyRights, type RightsDraft, rightsItems, type UserRef } from './rights';
import { RightsChooser } from './RightsChooser';

interface AddUserDraft {
  step: number;
  source: 'NEW' | 'REGISTERED';
  registeredUserId: string | null;
  person: PersonDraft;
  rights: RightsDraft;
  withCredential: boolean;
  credential: CredentialChoice;
}

const initial = (): AddUserDraft => ({
  step: 0,
  source: 'NEW',
  registeredUserId: null,
  person: emptyPerson(),
  rights: emptyRights(),
  withCredential: true,
  credential: defaultCredentialChoice(),
});

const PERSON_FIELDS = [
  'lastName',
  'firstName',
  'birthDate',
  'email',
  'phone',
  'clientType',
  'adminSignature',
  'activationMode',
  'language',
];

/** The items of the one change request that adds the user (decision D1): person, rights, credential. */
export function addUserItems(draft: AddUserDraft): ChangeItemInput[] {
  const user: UserRef = draft.source === 'NEW' ? { $ref: 'person' } : (draft.registeredUserId ?? '');
  const items: ChangeItemInput[] = [];
  if (draft.source === 'NEW') items.push({ kind: 'USER_CREATE', ref: 'person', payload: personPayload(draft.person) } as ChangeItemInput);
  else items.push({ kind: 'USER_ACTIVATE', payload: { userId: user } });
  items.push(...rightsItems(draft.rights, user));
  if (draft.withCredential) {
    items.push({ kind: 'CREDENTIAL_CREATE', payload: { userId: user, ...credentialPayload(draft.credential) } });
  }
  return items;
}

/**
 * "Add a user" as one guided flow (seeds 000 and 001): the person, the rights by one of the three
 * ways, the credential, the summary of exactly what will be submitted, then one change request.
 * Everything typed is kept as a draft until it is submitted.
 */
export default function AddUserPage() {
  const { t } = useTranslation();
  const { me } = useMe();
  const queryClient = useQueryClient();
  const [resumed] = useState(() => hasDraft(me.id, 'add-user'));
  const [draft, setDraft, clearDraft] = useDraft<AddUserDraft>(me.id, 'add-user', initial);
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  const [outcome, setOutcome] = useState<ChangeSubmission | undefined>();
  const items = addUserItems(draft);
  const preview = useChangePreview(items, draft.step === 3);
  const submit = useMutation({
    mutationFn: () =>
      ok(api.POST('/api/v1/companies/{companyId}/change-requests', { params: { path: { companyId: me.companyId } }, body: { items } })),
    onSuccess: (submission) => {
      setOutcome(submission);
      clearDraft();
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      void queryClient.invalidateQueries({ queryKey: ['change-requests'] });
    },
    onError: (error) => {
      // A refusal about the person (e.g. the e-mail already used) is shown on the person's step, next to its field.
      if (Object.keys(asApiError(error).fieldErrors()).some((f) => PERSON_FIELDS.includes(f))) setDraft((d) => ({ ...d, step: 0 }));
    },
  });
  // The same for a refusal found by the preview (it validates exactly as submission does).
  const previewError = preview.isError ? preview.error : undefined;
  useEffect(() => {
    if (previewError && Object.keys(asApiError(previewError).fieldErrors()).some((f) => PERSON_FIELDS.includes(f)))
      setDraft((d) => ({ ...d, step: 0 }));
  }, [previewError, setDraft]);
  const refusal = submit.error ?? (preview.isError && preview.error ? preview.error : undefined);
  const errors = { ...fieldErrorsOf(refusal), ...localErrors };
  const go = (step: number) => setDraft((d) => ({ ...d, step }));
  const next = () => {
    if (draft.step === 0) {
      const problems =
        draft.source === 'NEW'
          ? personProblems(draft.person, t)
          : draft.registeredUserId
            ? {}
            : { registeredUserId: [t('common.required')] };
      setLocalErrors(problems);
      if (Object.keys(problems).length) return;
    }
    if (draft.step === 1 && draft.rights.method === 'COPY' && !draft.rights.copy.fromUserId) {
      setLocalErrors({ fromUserId: [t('common.required')] });
      return;
    }
    setLocalErrors({});
    submit.reset();
    go(draft.step + 1);
  };

  if (outcome) {
    return (
      <>
        <PageHeader title={t('addUser.title')} />
        <Stack maw={720}>
          <ChangeOutcome submission={outcome} />
          <Group>
            <Button onClick={() => setOutcome(undefined)}>{t('addUser.another')}</Button>
          </Group>
        </Stack>
      </>
    );
  }

  return (
    <>
      <PageHeader title={t('addUser.title')} description={t('addUser.description')} />
      {resumed && draft.step + draft.person.lastName.length > 0 && (
        <Alert color="blue" variant="light" mb="md" withCloseButton={false} title={t('drafts.resumedTitle')}>
          <Group justify="space-between">
            <Text size="sm">{t('drafts.resumedText')}</Text>
            <Button size="xs" variant="default" onClick={clearDraft}>
              {t('drafts.discard')}
            </Button>
          </Group>
        </Alert>
      )}
      <Stepper active={draft.step} onStepClick={(s) => s < draft.step && go(s)} allowNextStepsSelect={false} mb="lg" size="sm">
        <Stepper.Step label={t('addUser.steps.person')} />
        <Stepper.Step label={t('addUser.steps.rights')} />
        <Stepper.Step label={t('addUser.steps.credential')} />
        <Stepper.Step label={t('addUser.steps.summary')} />
      </Stepper>
      <Paper withBorder p="lg" maw={900} component="section" aria-labelledby="add-user-step">
        <Title order={2} size="h3" mb="md" id="add-user-step">
          {t(`addUser.stepTitles.${(['person', 'rights', 'credential', 'summary'] as const)[draft.step]}`)}
        </Title>
        <Stack>
          {draft.step === 0 && (
            <>
              <Radio.Group
                value={draft.source}
                onChange={(source) => setDraft((d) => ({ ...d, source: source as AddUserDraft['source'] }))}
                label={t('addUser.who')}
              >
                <Stack gap="xs" mt="xs">
                  <Radio value="NEW" label={t('addUser.newPerson')} />
                  <Radio value="REGISTERED" label={t('addUser.registeredPerson')} description={t('addUser.registeredHint')} />
                </Stack>
              </Radio.Group>
              {draft.source === 'NEW' ? (
                <PersonFields value={draft.person} onChange={(person) => setDraft((d) => ({ ...d, person }))} errors={errors} />
              ) : (
                <UserPicker
                  label={t('addUser.registeredPicker')}
                  value={draft.registeredUserId}
                  onChange={(registeredUserId) => setDraft((d) => ({ ...d, registeredUserId }))}
                  status="REGISTERED"
                  error={errors.registeredUserId?.join(' ')}
                />
              )}
            </>
          )}
          {draft.step === 1 && (
            <RightsChooser value={draft.rights} onChange={(rights) => setDraft((d) => ({ ...d, rights }))} errors={errors} />
          )}
          {draft.step === 2 && (
            <>
              <Checkbox
                label={t('addUser.withCredential')}
                description={t('addUser.withCredentialHint')}
                checked={draft.withCredential}
                onChange={(e) => setDraft({ ...draft, withCredential: e.currentTarget.checked })}
              />
              {draft.withCredential && (
                <CredentialFields
                  value={draft.credential}
                  onChange={(credential) => setDraft((d) => ({ ...d, credential }))}
                  errors={errors}
                />
              )}
              <Text size="sm" c="dimmed">
                {t(draft.withCredential && !draft.credential.sendWelcomeEmail ? 'addUser.deliveryLater' : 'addUser.delivery')}
              </Text>
            </>
          )}
          {draft.step === 3 && (
            <>
              <Text size="sm">{t('addUser.summaryIntro')}</Text>
              <ChangeSummary preview={preview} />
              <FormError error={submit.error} fields={PERSON_FIELDS} />
            </>
          )}
          <Group justify="space-between" mt="md">
            <Button variant="default" onClick={() => go(draft.step - 1)} disabled={draft.step === 0}>
              {t('common.back')}
            </Button>
            {draft.step < 3 ? (
              <Button onClick={next}>{t('common.next')}</Button>
            ) : (
              <Button onClick={() => submit.mutate()} loading={submit.isPending} disabled={preview.isPending || preview.isError}>
                {t('addUser.submit')}
              </Button>
            )}
          </Group>
        </Stack>
      </Paper>
    </>
  );
}
