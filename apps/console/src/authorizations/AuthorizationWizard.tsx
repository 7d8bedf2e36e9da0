import { Alert, Button, Checkbox, Group, List, Paper, Radio, SimpleGrid, Stack, Stepper, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ok } from '../api/client';
import { useCatalog, useUsersById, personName } from '../api/queries';
import type { AuthorizationView, ChangeItemInput, ChangeSubmission, GrantDto } from '../api/types';
import { emptyPerson, PersonFields, type PersonDraft, personPayload, personProblems } from '../add-user/PersonFields';
import { startOfDay, today } from '../add-user/rights';
import { useCompanyResources } from '../add-user/RightsChooser';
import { useDraft } from '../session/drafts';
import { useMe } from '../session/SessionProvider';
import { ChangeOutcome } from '../ui/ChangeOutcome';
import { ChangeSummary, useChangePreview } from '../ui/ChangeSummary';
import { fieldError, fieldErrorsOf, FormError } from '../ui/form-errors';
import { useCatalogLabels } from '../ui/labels';
import { PageHeader } from '../ui/PageHeader';
import { ErrorState, Loading } from '../ui/states';
import { UsersPicker } from '../ui/UserPicker';
import { GrantsEditor } from './GrantsEditor';

interface WizardDraft {
  step: number;
  label: string;
  service: string;
  effectiveFrom: string;
  endsAt: string;
  userIds: string[];
  newPeople: PersonDraft[];
  /** The new people's credentials in the same request (seed 000: a new user is completed by a login). */
  newPeopleCredentials: boolean;
  grants: GrantDto[];
}

const blank = (): WizardDraft => ({
  step: 0,
  label: '',
  service: 'EINVOICING',
  effectiveFrom: today(),
  endsAt: '',
  userIds: [],
  newPeople: [],
  newPeopleCredentials: true,
  grants: [],
});
const dateOf = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '');
const grantsPayload = (grants: GrantDto[]) =>
  grants.map((g) => ({ right: g.right, level: g.level, ...(g.resourceIds?.length ? { resourceIds: g.resourceIds } : {}) }));

/**
 * The items of the wizard's one change request (decision D1): the new people first (named by
 * refs), then the authorization referring to them, then their credentials.
 */
function wizardItems(draft: WizardDraft, existing: AuthorizationView | undefined): ChangeItemInput[] {
  const refs = draft.newPeople.map((_, i) => `person${i + 1}`);
  const people: ChangeItemInput[] = draft.newPeople.map(
    (p, i) => ({ kind: 'USER_CREATE', ref: refs[i], payload: personPayload(p) }) as ChangeItemInput,
  );
  const credentials: ChangeItemInput[] = draft.newPeopleCredentials
    ? refs.map(($ref) => ({ kind: 'CREDENTIAL_CREATE', payload: { userId: { $ref }, type: 'PERMANENT', bankingPower: false } }))
    : [];
  const when = { effectiveFrom: startOfDay(draft.effectiveFrom), ...(draft.endsAt ? { endsAt: startOfDay(draft.endsAt) } : {}) };
  if (!existing) {
    return [
      ...people,
      {
        kind: 'AUTHORIZATION_CREATE',
        payload: {
          label: draft.label.trim(),
          service: draft.service,
          ...when,
          grants: grantsPayload(draft.grants),
          userIds: [...draft.userIds, ...refs.map(($ref) => ({ $ref }))],
        },
      },
      ...credentials,
    ];
  }
  const items: ChangeItemInput[] = [
    ...people,
    {
      kind: 'AUTHORIZATION_UPDATE',
      payload: {
        authorizationId: existing.id,
        label: draft.label.trim(),
        ...when,
        endsAt: draft.endsAt ? startOfDay(draft.endsAt) : null,
        grants: grantsPayload(draft.grants),
      },
    },
  ];
  const attach = [...draft.userIds.filter((id) => !existing.userIds.includes(id)), ...refs.map(($ref) => ({ $ref }))];
  const detach = existing.userIds.filter((id) => !draft.userIds.includes(id));
  if (attach.length || detach.length)
    items.push({
      kind: 'AUTHORIZATION_ASSIGN',
      payload: { authorizationId: existing.id, ...(attach.length ? { attach } : {}), ...(detach.length ? { detach } : {}) },
    });
  return [...items, ...credentials];
}

/**
 * Seed 000's authorization in five steps: assistance, characteristics, users (with a new user
 * added inside the wizard), rights and levels, confirmation with the preview. Also edits one.
 */
export default function AuthorizationWizard() {
  const { authorizationId } = useParams();
  const existing = useQuery({
    queryKey: ['authorization', authorizationId],
    queryFn: () => ok(api.GET('/api/v1/authorizations/{authorizationId}', { params: { path: { authorizationId: authorizationId! } } })),
    enabled: !!authorizationId,
  });
  if (authorizationId && existing.isPending) return <Loading />;
  if (authorizationId && existing.isError) return <ErrorState error={existing.error} onRetry={() => void existing.refetch()} />;
  return <Wizard key={authorizationId ?? 'new'} existing={existing.data} />;
}

function Wizard({ existing }: { existing: AuthorizationView | undefined }) {
  const { t } = useTranslation();
  const { me } = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const catalog = useCatalog();
  const labels = useCatalogLabels(catalog.data);
  const resources = useCompanyResources();
  const [draft, setDraft, clearDraft] = useDraft<WizardDraft>(me.id, existing ? `authorization-${existing.id}` : 'authorization-new', () =>
    existing
      ? {
          step: 1,
          label: existing.label,
          service: existing.service,
          effectiveFrom: dateOf(existing.effectiveFrom),
          endsAt: dateOf(existing.endsAt as string | null),
          userIds: existing.userIds,
          newPeople: [],
          newPeopleCredentials: true,
          grants: existing.grants,
        }
      : blank(),
  );
  const [person, setPerson] = useState<PersonDraft | undefined>();
  const [personErrors, setPersonErrors] = useState<Record<string, string[]>>({});
  const [stepErrors, setStepErrors] = useState<Record<string, string[]>>({});
  const [outcome, setOutcome] = useState<ChangeSubmission | undefined>();
  const items = wizardItems(draft, existing);
  const preview = useChangePreview(items, draft.step === 4);
  const selectedUsers = useUsersById(draft.userIds);
  const submit = useMutation({
    // One change request (decision D1), exactly the items the confirmation step previewed.
    mutationFn: () =>
      ok(api.POST('/api/v1/companies/{companyId}/change-requests', { params: { path: { companyId: me.companyId } }, body: { items } })),
    onSuccess: (s) => {
      setOutcome(s);
      clearDraft();
      void queryClient.invalidateQueries({ queryKey: ['authorizations'] });
    },
  });
  const errors = { ...fieldErrorsOf(submit.error ?? (preview.isError ? preview.error : undefined)), ...stepErrors };
  const go = (step: number) => setDraft((d) => ({ ...d, step }));
  const next = () => {
    const problems: Record<string, string[]> = {};
    if (draft.step === 1) {
      if (!draft.label.trim()) problems.label = [t('common.required')];
      if (!draft.effectiveFrom) problems.effectiveFrom = [t('common.required')];
      if (draft.endsAt && draft.endsAt <= draft.effectiveFrom) problems.endsAt = [t('wizard.endAfterStart')];
    }
    if (draft.step === 2 && draft.userIds.length + draft.newPeople.length === 0) problems.userIds = [t('wizard.pickUsers')];
    if (draft.step === 3 && draft.grants.length === 0) problems.grants = [t('wizard.pickRights')];
    setStepErrors(problems);
    if (Object.keys(problems).length) return;
    submit.reset();
    go(draft.step + 1);
  };

  if (outcome) {
    return (
      <>
        <PageHeader title={existing ? t('wizard.editTitle') : t('wizard.title')} />
        <Stack maw={720}>
          <ChangeOutcome submission={outcome} />
          <Group>
            <Button component={Link} to="/authorizations">
              {t('wizard.backToList')}
            </Button>
          </Group>
        </Stack>
      </>
    );
  }

  const steps = ['assistance', 'characteristics', 'users', 'rights', 'confirmation'] as const;
  return (
    <>
      <PageHeader title={existing ? t('wizard.editTitle') : t('wizard.title')} description={t('wizard.description')} />
      <Stepper active={draft.step} onStepClick={(s) => s < draft.step && go(s)} allowNextStepsSelect={false} mb="lg" size="sm">
        {steps.map((s, i) => (
          <Stepper.Step key={s} label={t('wizard.stepN', { n: i + 1 })} description={t(`wizard.steps.${s}`)} />
        ))}
      </Stepper>
      <Paper withBorder p="lg" maw={900} component="section" aria-labelledby="wizard-step">
        <Title order={2} size="h3" mb="md" id="wizard-step">
          {t('wizard.stepN', { n: draft.step + 1 })} — {t(`wizard.steps.${steps[draft.step]}`)}
        </Title>
        <Stack>
          {draft.step === 0 && (
            <>
              <Text>{t('wizard.assistance1')}</Text>
              <List size="sm">
                <List.Item>{t('wizard.assistance2')}</List.Item>
                <List.Item>{t('wizard.assistance3')}</List.Item>
                <List.Item>{t('wizard.assistance4')}</List.Item>
              </List>
              <Alert color="blue" variant="light">
                {t('wizard.assistanceCredential')}
              </Alert>
            </>
          )}
          {draft.step === 1 && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('authorizations.label')}
                description={t('wizard.labelHint')}
                value={draft.label}
                onChange={(e) => setDraft({ ...draft, label: e.currentTarget.value })}
                error={fieldError(errors, 'label')}
                required
              />
              <Radio.Group
                label={t('authorizations.service')}
                value={draft.service}
                onChange={(service) => setDraft({ ...draft, service, grants: service === draft.service ? draft.grants : [] })}
              >
                <Stack gap={4} mt={4}>
                  {(catalog.data ?? []).map((s) => (
                    <Radio
                      key={s.code}
                      value={s.code}
                      label={labels.service(s.code)}
                      disabled={!!existing && s.code !== existing.service}
                    />
                  ))}
                </Stack>
              </Radio.Group>
              <TextInput
                label={t('authorizations.effectiveFrom')}
                description={t('wizard.effectiveHint')}
                type="date"
                value={draft.effectiveFrom}
                onChange={(e) => setDraft({ ...draft, effectiveFrom: e.currentTarget.value })}
                error={fieldError(errors, 'effectiveFrom')}
                required
              />
              <TextInput
                label={t('authorizations.endsAtOptional')}
                type="date"
                value={draft.endsAt}
                onChange={(e) => setDraft({ ...draft, endsAt: e.currentTarget.value })}
                error={fieldError(errors, 'endsAt')}
              />
            </SimpleGrid>
          )}
          {draft.step === 2 && (
            <>
              <UsersPicker
                label={t('wizard.users')}
                description={t('wizard.usersHint')}
                value={draft.userIds}
                onChange={(userIds) => setDraft({ ...draft, userIds })}
                error={fieldError(errors, 'userIds')}
              />
              {draft.newPeople.length > 0 && (
                <Stack gap={4}>
                  <Text size="sm" fw={600}>
                    {t('wizard.newPeople')}
                  </Text>
                  {draft.newPeople.map((p, i) => (
                    <Group key={i} gap="xs">
                      <Text size="sm">
                        {p.firstName} {p.lastName} — {p.email}
                      </Text>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() => setDraft({ ...draft, newPeople: draft.newPeople.filter((_, j) => j !== i) })}
                      >
                        {t('wizard.removePerson')}
                      </Button>
                    </Group>
                  ))}
                </Stack>
              )}
              {person ? (
                <Paper withBorder p="md">
                  <Title order={3} size="h5" mb="sm">
                    {t('wizard.addPerson')}
                  </Title>
                  <PersonFields value={person} onChange={setPerson} errors={personErrors} />
                  <Group mt="md">
                    <Button
                      onClick={() => {
                        const problems = personProblems(person, t);
                        setPersonErrors(problems);
                        if (Object.keys(problems).length) return;
                        setDraft({ ...draft, newPeople: [...draft.newPeople, person] });
                        setPerson(undefined);
                      }}
                    >
                      {t('wizard.validatePerson')}
                    </Button>
                    <Button variant="default" onClick={() => setPerson(undefined)}>
                      {t('common.cancel')}
                    </Button>
                  </Group>
                </Paper>
              ) : (
                <Group>
                  <Button variant="default" onClick={() => setPerson(emptyPerson())}>
                    {t('wizard.addPerson')}
                  </Button>
                </Group>
              )}
              {draft.newPeople.length > 0 && (
                <Checkbox
                  label={t('wizard.newPeopleCredentials')}
                  description={t('wizard.newPeopleCredentialsHint')}
                  checked={draft.newPeopleCredentials}
                  onChange={(e) => setDraft({ ...draft, newPeopleCredentials: e.currentTarget.checked })}
                />
              )}
            </>
          )}
          {draft.step === 3 && (
            <GrantsEditor
              service={catalog.data?.find((s) => s.code === draft.service)}
              resources={resources.data?.items ?? []}
              grants={draft.grants}
              onChange={(grants) => setDraft({ ...draft, grants })}
              error={fieldError(errors, 'grants')}
            />
          )}
          {draft.step === 4 && (
            <>
              <Text size="sm">{t('wizard.confirmIntro')}</Text>
              <Text size="sm">
                <strong>{t('wizard.users')}:</strong>{' '}
                {[
                  ...draft.userIds.map((id) => personName(selectedUsers.get(id), id)),
                  ...draft.newPeople.map((p) => `${p.firstName} ${p.lastName} (${t('wizard.new')})`),
                ].join(', ')}
              </Text>
              <ChangeSummary preview={preview} />
              <FormError error={submit.error} />
            </>
          )}
          <Group justify="space-between" mt="md">
            {draft.step > 0 ? (
              <Button variant="default" onClick={() => go(draft.step - 1)}>
                {t('common.back')}
              </Button>
            ) : (
              <Button variant="default" onClick={() => void navigate('/authorizations')}>
                {t('common.cancel')}
              </Button>
            )}
            {draft.step === 0 && <Button onClick={() => go(1)}>{t('wizard.start')}</Button>}
            {draft.step > 0 && draft.step < 4 && <Button onClick={next}>{t('common.next')}</Button>}
            {draft.step === 4 && (
              <Button onClick={() => submit.mutate()} loading={submit.isPending} disabled={preview.isPending}>
                {t('common.confirm')}
              </Button>
            )}
          </Group>
        </Stack>
      </Paper>
    </>
  );
}
