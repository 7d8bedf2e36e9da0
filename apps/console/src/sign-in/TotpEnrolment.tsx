import { Alert, Button, Group, Image, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { SessionTokens } from '../api/types';
import { fieldError, fieldErrorsOf, FormError } from '../ui/form-errors';
import { ErrorState, Loading } from '../ui/states';
import { TotpField } from '../ui/TotpField';

/** The QR code of an otpauth:// URI, drawn in the page (no network): a data: URL, allowed by the console's CSP. */
async function qrDataUrl(uri: string): Promise<string> {
  const { toDataURL } = await import('qrcode');
  return toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 220 });
}

/** TOTP enrolment (seed 001 "Sécur'Pass"): scan the QR code (or type the key), then confirm with a first code. */
export function TotpEnrolment({ onEnrolled }: { onEnrolled: (tokens: SessionTokens) => void | Promise<void> }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const enrolment = useQuery({
    queryKey: ['totp-enrolment'],
    queryFn: async () => {
      const started = await ok(api.POST('/api/v1/auth/totp/enrol'));
      return { ...started, qr: await qrDataUrl(started.otpauthUri) };
    },
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  const confirm = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/auth/totp/confirm', { body: { code } })),
    onSuccess: (tokens) => onEnrolled(tokens),
  });
  const errors = fieldErrorsOf(confirm.error);
  if (enrolment.isPending) return <Loading />;
  if (enrolment.isError) return <ErrorState error={enrolment.error} onRetry={() => void enrolment.refetch()} />;
  const { qr, secret } = enrolment.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.length === 6) confirm.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">{t('totp.scan')}</Text>
        <Group align="flex-start" wrap="wrap">
          <Image src={qr} alt={t('totp.qrAlt')} className="qr-code" w={220} h={220} />
          <Stack gap={4} maw={260}>
            <Text size="sm" fw={600}>
              {t('totp.manualKey')}
            </Text>
            <code data-testid="totp-secret">{secret.replace(/(.{4})/g, '$1 ').trim()}</code>
            <Text size="xs" c="dimmed">
              {t('totp.manualHint')}
            </Text>
          </Stack>
        </Group>
        <Alert variant="light" color="blue">
          {t('totp.keepSecret')}
        </Alert>
        <FormError error={confirm.error} fields={['code']} />
        <TotpField label={t('totp.firstCode')} value={code} onChange={setCode} error={fieldError(errors, 'code')} />
        <Group>
          <Button type="submit" loading={confirm.isPending} disabled={code.length !== 6}>
            {t('totp.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
