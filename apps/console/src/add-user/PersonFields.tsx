import { Radio, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../ui/form-errors';

export interface PersonDraft {
  lastName: string;
  firstName: string;
  birthDate: string;
  email: string;
  phone: string;
  clientType: 'STANDARD' | 'ADMINISTRATOR';
  adminSignature: 'NONE' | 'INDIVIDUAL' | 'COLLECTIVE';
  activationMode: 'IMMEDIATE' | 'DEFERRED';
  language: 'fr' | 'en';
}

export const emptyPerson = (): PersonDraft => ({
  lastName: '',
  firstName: '',
  birthDate: '',
  email: '',
  phone: '',
  clientType: 'STANDARD',
  adminSignature: 'NONE',
  activationMode: 'IMMEDIATE',
  language: 'fr',
});

/** The USER_CREATE payload of a person (empty optional fields left out). */
export function personPayload(p: PersonDraft): Record<string, unknown> {
  return {
    lastName: p.lastName.trim(),
    firstName: p.firstName.trim(),
    birthDate: p.birthDate,
    email: p.email.trim(),
    ...(p.phone.trim() ? { phone: p.phone.trim() } : {}),
    clientType: p.clientType,
    adminSignature: p.clientType === 'ADMINISTRATOR' ? p.adminSignature : 'NONE',
    activationMode: p.activationMode,
    language: p.language,
  };
}

/** What the page can check before asking the server (the server checks everything again). */
export function personProblems(p: PersonDraft, t: (key: 'common.required' | 'person.emailInvalid') => string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const field of ['lastName', 'firstName', 'birthDate', 'email'] as const) if (!p[field].trim()) out[field] = [t('common.required')];
  if (p.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.email.trim())) out.email = [t('person.emailInvalid')];
  return out;
}

/** Seed 001/003: name, first name, birth date, a nominative e-mail (the person's identifier), an optional phone, the type. */
export function PersonFields({
  value,
  onChange,
  errors,
}: {
  value: PersonDraft;
  onChange: (p: PersonDraft) => void;
  errors: Record<string, string[]>;
}) {
  const { t } = useTranslation();
  const set = <K extends keyof PersonDraft>(key: K, v: PersonDraft[K]) => onChange({ ...value, [key]: v });
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('person.lastName')}
          value={value.lastName}
          onChange={(e) => set('lastName', e.currentTarget.value)}
          error={fieldError(errors, 'lastName')}
          required
          autoComplete="off"
        />
        <TextInput
          label={t('person.firstName')}
          value={value.firstName}
          onChange={(e) => set('firstName', e.currentTarget.value)}
          error={fieldError(errors, 'firstName')}
          required
          autoComplete="off"
        />
        <TextInput
          label={t('person.birthDate')}
          type="date"
          value={value.birthDate}
          onChange={(e) => set('birthDate', e.currentTarget.value)}
          error={fieldError(errors, 'birthDate')}
          required
        />
        <TextInput
          label={t('person.email')}
          description={t('person.emailHint')}
          type="email"
          value={value.email}
          onChange={(e) => set('email', e.currentTarget.value)}
          error={fieldError(errors, 'email')}
          required
          autoComplete="off"
        />
        <TextInput
          label={t('person.phone')}
          description={t('person.phoneHint')}
          type="tel"
          value={value.phone}
          onChange={(e) => set('phone', e.currentTarget.value)}
          error={fieldError(errors, 'phone')}
          autoComplete="off"
        />
        <Select
          label={t('person.language')}
          value={value.language}
          onChange={(v) => v && set('language', v as PersonDraft['language'])}
          data={[
            { value: 'fr', label: 'Français' },
            { value: 'en', label: 'English' },
          ]}
          allowDeselect={false}
        />
      </SimpleGrid>
      <Radio.Group
        label={t('person.clientType')}
        description={t('person.clientTypeHint')}
        value={value.clientType}
        onChange={(v) => set('clientType', v as PersonDraft['clientType'])}
        error={fieldError(errors, 'clientType')}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
          <Radio value="STANDARD" label={t('clientType.STANDARD')} />
          <Radio value="ADMINISTRATOR" label={t('clientType.ADMINISTRATOR')} />
        </SimpleGrid>
      </Radio.Group>
      {value.clientType === 'ADMINISTRATOR' && (
        <Radio.Group
          label={t('user.adminSignature')}
          description={t('user.adminSignatureHint')}
          value={value.adminSignature}
          onChange={(v) => set('adminSignature', v as PersonDraft['adminSignature'])}
          error={fieldError(errors, 'adminSignature')}
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }} mt="xs">
            {(['NONE', 'INDIVIDUAL', 'COLLECTIVE'] as const).map((s) => (
              <Radio key={s} value={s} label={t(`adminSignature.${s}`)} />
            ))}
          </SimpleGrid>
        </Radio.Group>
      )}
      <Radio.Group
        label={t('person.activationMode')}
        value={value.activationMode}
        onChange={(v) => set('activationMode', v as PersonDraft['activationMode'])}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
          <Radio value="IMMEDIATE" label={t('activationMode.IMMEDIATE')} />
          <Radio value="DEFERRED" label={t('activationMode.DEFERRED')} />
        </SimpleGrid>
      </Radio.Group>
    </Stack>
  );
}
