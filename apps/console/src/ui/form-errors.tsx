import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../api/errors';
import { i18n } from '../i18n/i18n';
import { problemText } from './states';

/** Messages of a refused submission per field, to put under the fields they name (in the reader's language when the code is known). */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  if (!error) return {};
  const apiError = asApiError(error);
  const known = apiError.code ? i18n.t(`problems.${apiError.code}` as 'problems.EMAIL_ALREADY_USED', { defaultValue: '' }) : '';
  return apiError.fieldErrors(known || undefined);
}

/** The text to show under a field, if the API named it. */
export function fieldError(errors: Record<string, string[]>, ...fields: string[]): string | undefined {
  for (const field of fields) if (errors[field]?.length) return errors[field].join(' · ');
  return undefined;
}

/**
 * A refused submission's message above the form when no field carries it (or to say that
 * fields below need attention); with the request id when the failure was unexpected.
 */
export function FormError({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  const apiError = asApiError(error);
  const named = Object.keys(apiError.fieldErrors()).filter((f) => fields.includes(f));
  return (
    <Alert color="red" variant="light" role="alert" title={named.length ? t('common.fixFields') : t('common.refused')}>
      <Text size="sm">{problemText(apiError, t)}</Text>
      {apiError.requestId && (apiError.unexpected || !apiError.code) && (
        <Text size="sm">
          {t('common.requestId')} <code>{apiError.requestId}</code>
        </Text>
      )}
    </Alert>
  );
}
