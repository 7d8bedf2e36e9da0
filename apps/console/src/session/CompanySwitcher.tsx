import { Button, Modal, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ok } from '../api/client';
import { ApiError } from '../api/errors';
import { TotpField } from '../ui/TotpField';
import { useSession } from './SessionProvider';

/**
 * Seed 003 "accès aux dossiers": a person who is a user of several companies picks the one
 * they act in, without signing in again. Shown only when there is a choice. The API opens a
 * session in the chosen company (its rights, credential and policy); when that credential
 * has TOTP and this session began without a code, the code is asked for here.
 */
export function CompanySwitcher() {
  const { t } = useTranslation();
  const { session, signedIn } = useSession();
  const navigate = useNavigate();
  const companies = useQuery({
    queryKey: ['my-companies', session.companyId],
    queryFn: () => ok(api.GET('/api/v1/auth/companies')),
    staleTime: 5 * 60_000,
  });
  const [awaitingCode, setAwaitingCode] = useState<string>();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const list = companies.data ?? [];
  if (list.length < 2) return null;
  const current = list.find((c) => c.current);

  const switchTo = async (companyId: string, totpCode?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const tokens = await ok(api.POST('/api/v1/auth/switch-company', { body: { companyId, ...(totpCode ? { totpCode } : {}) } }));
      setAwaitingCode(undefined);
      setCode('');
      await signedIn(tokens, session.loginId ?? '');
      void navigate('/');
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'TOTP_CODE_REQUIRED') setAwaitingCode(companyId);
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const target = list.find((c) => c.companyId === awaitingCode);
  return (
    <>
      <Select
        size="xs"
        w={220}
        aria-label={t('nav.company')}
        data={list.map((c) => ({ value: c.companyId, label: c.companyName }))}
        value={current?.companyId ?? null}
        allowDeselect={false}
        disabled={busy}
        error={awaitingCode ? undefined : error}
        onChange={(value) => {
          if (value && value !== current?.companyId) void switchTo(value);
        }}
      />
      <Modal opened={!!awaitingCode} onClose={() => setAwaitingCode(undefined)} title={t('nav.companySwitchTitle')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (awaitingCode) void switchTo(awaitingCode, code);
          }}
        >
          <Stack>
            <Text size="sm">{t('nav.companySwitchIntro', { company: target?.companyName ?? '' })}</Text>
            <TotpField value={code} onChange={setCode} error={error} autoFocus />
            <Button type="submit" loading={busy} disabled={code.length !== 6}>
              {t('nav.companySwitchConfirm')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
