import { Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import type { ChangeSubmission, UserView } from '../api/types';
import { emptyRights, rightsItems } from '../add-user/rights';
import { RightsChooser } from '../add-user/RightsChooser';
import { useDraft } from '../session/drafts';
import { useMe } from '../session/SessionProvider';
import { ChangeOutcome } from '../ui/ChangeOutcome';
import { ChangeSummary, useChangePreview } from '../ui/ChangeSummary';
import { fieldErrorsOf, FormError } from '../ui/form-errors';
import { EffectiveRights } from './EffectiveRights';

/** A user's effective rights with their reasons, and new rights by the three ways of seed 001 (seed 002 "Nouvelle autorisation"). */
export function RightsPanel({ user }: { user: UserView }) {
  const { t } = useTranslation();
  const { me } = useMe();
  const queryClient = useQueryClient();
  const [giving, setGiving] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [draft, setDraft, clearDraft] = useDraft(me.id, `rights-${user.id}`, emptyRights);
  const [outcome, setOutcome] = useState<ChangeSubmission | undefined>();
  const items = rightsItems(draft, user.id);
  const preview = useChangePreview(items, reviewing && items.length > 0);
  const submit = useMutation({
    mutationFn: () =>
      ok(api.POST('/api/v1/companies/{companyId}/change-requests', { params: { path: { companyId: me.companyId } }, body: { items } })),
    onSuccess: (s) => {
      setOutcome(s);
      setGiving(false);
      setReviewing(false);
      clearDraft();
      void queryClient.invalidateQueries({ queryKey: ['effective-rights', user.id] });
    },
  });
  return (
    <Stack>
      {outcome && <ChangeOutcome submission={outcome} onClose={() => setOutcome(undefined)} />}
      <EffectiveRights userId={user.id} />
      {!giving ? (
        <Group>
          <Button variant="default" onClick={() => setGiving(true)}>
            {t('rights.give')}
          </Button>
        </Group>
      ) : (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            {t('rights.give')}
          </Title>
          {!reviewing ? (
            <Stack>
              <RightsChooser value={draft} onChange={setDraft} excludeUserId={user.id} errors={fieldErrorsOf(submit.error)} />
              <Group>
                <Button onClick={() => setReviewing(true)} disabled={items.length === 0}>
                  {t('common.next')}
                </Button>
                <Button variant="default" onClick={() => setGiving(false)}>
                  {t('common.cancel')}
                </Button>
              </Group>
            </Stack>
          ) : (
            <Stack>
              <ChangeSummary preview={preview} />
              <FormError error={submit.error} />
              <Group>
                <Button variant="default" onClick={() => setReviewing(false)}>
                  {t('common.back')}
                </Button>
                <Button onClick={() => submit.mutate()} loading={submit.isPending}>
                  {t('common.confirm')}
                </Button>
              </Group>
            </Stack>
          )}
        </Paper>
      )}
    </Stack>
  );
}
