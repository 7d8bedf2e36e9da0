import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { FormError, fieldError, fieldErrorsOf } from '../ui/form-errors';
import { TotpField } from '../ui/TotpField';
import { sessionStore } from './session-store';
import { stepUpPrompt } from './step-up';

/**
 * The maker's strong authentication (rule 1, seed 001): when a change needs it, the code of the
 * authenticator app is asked over the page (the form keeps what was typed), POST /auth/step-up
 * gives the session a token carrying it, and the change is sent again by the API client.
 */
export default function StepUpModal() {
  const opened = useSyncExternalStore(stepUpPrompt.subscribe, stepUpPrompt.getSnapshot);
  return opened ? <StepUpDialog /> : null;
}

function StepUpDialog() {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const stepUp = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/auth/step-up', { body: { code } })),
    onSuccess: (tokens) => {
      sessionStore.steppedUp(tokens);
      stepUpPrompt.settle(true);
    },
    onError: () => setCode(''),
  });
  const errors = fieldErrorsOf(stepUp.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.length === 6) stepUp.mutate();
  };
  return (
    <Modal
      opened
      onClose={() => stepUpPrompt.settle(false)}
      title={t('stepUp.title')}
      centered
      // The cross has no text: its name is the cancel it performs (axe: button-name).
      closeButtonProps={{ 'aria-label': t('common.cancel') }}
    >
      <form onSubmit={submit} noValidate aria-label={t('stepUp.form')}>
        <Stack gap="sm">
          <Text size="sm">{t('stepUp.text')}</Text>
          <Group align="flex-end">
            <TotpField value={code} onChange={setCode} error={fieldError(errors, 'code', 'totpCode')} autoFocus />
            <Button type="submit" loading={stepUp.isPending} disabled={code.length !== 6}>
              {t('stepUp.confirm')}
            </Button>
            <Button variant="default" onClick={() => stepUpPrompt.settle(false)}>
              {t('common.cancel')}
            </Button>
          </Group>
          <FormError error={stepUp.error} fields={['code', 'totpCode']} />
        </Stack>
      </form>
    </Modal>
  );
}
