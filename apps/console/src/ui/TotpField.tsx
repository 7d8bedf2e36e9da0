import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A 6-digit code of the authenticator app (step-up, seed 001 "Sécur'Pass"). */
export function TotpField({
  value,
  onChange,
  error,
  label,
  autoFocus,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  label?: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={label ?? t('common.totpCode')}
      description={t('common.totpHint')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      error={error}
      required
      autoFocus={autoFocus}
      // Mantine's modals focus the field marked data-autofocus (not the first button) when they open.
      data-autofocus={autoFocus || undefined}
      w={220}
    />
  );
}
