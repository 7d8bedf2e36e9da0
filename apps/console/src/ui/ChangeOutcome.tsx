import { Alert, Anchor, CopyButton, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ChangeSubmission } from '../api/types';

/**
 * What became of a submitted change: applied at once, or waiting for approval (with where to
 * follow it). A secret the API reveals once (a provisional password for a user without a phone)
 * is shown here, this one time.
 */
export function ChangeOutcome({ submission, onClose }: { submission: ChangeSubmission; onClose?: () => void }) {
  const { t } = useTranslation();
  const applied = submission.status === 'APPLIED';
  return (
    <Stack gap="sm">
      <Alert color={applied ? 'green' : 'yellow'} variant="light" role="status" title={applied ? t('change.applied') : t('change.pending')}>
        <Text size="sm">{applied ? t('change.appliedText') : t('change.pendingText')}</Text>
        <Anchor component={Link} to={`/requests?open=${submission.changeRequestId}`} size="sm">
          {t('change.follow')}
        </Anchor>
      </Alert>
      {submission.revealOnce && Object.keys(submission.revealOnce).length > 0 && <RevealOnce secrets={submission.revealOnce} />}
      {onClose && (
        <Group>
          <Button variant="default" onClick={onClose}>
            {t('common.close')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function RevealOnce({ secrets }: { secrets: Record<string, string> }) {
  const { t } = useTranslation();
  return (
    <Alert color="orange" variant="light" title={t('change.revealOnceTitle')} role="alert">
      <Text size="sm" mb="xs">
        {t('change.revealOnceText')}
      </Text>
      {Object.entries(secrets).map(([name, value]) => (
        <Group key={name} gap="xs">
          <Text size="sm">{t(`change.secret.${name}` as 'change.secret.provisionalPassword', { defaultValue: name })}:</Text>
          <code data-testid={`secret-${name}`}>{value}</code>
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button size="compact-xs" variant="default" onClick={copy}>
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
      ))}
    </Alert>
  );
}
