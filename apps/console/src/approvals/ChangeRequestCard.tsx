import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { personName, useUsersById } from '../api/queries';
import type { ChangeRequestView } from '../api/types';
import { useFormat } from '../i18n/format';
import { DiffInWords } from '../ui/DiffInWords';
import { PlannedPeople, plannedPeople } from '../ui/planned-people';
import { StatusBadge } from '../ui/StatusBadge';

/** A change request as a validator or its maker reads it: what changes in words, for whom, by whom, until when. */
export function ChangeRequestCard({ request, children }: { request: ChangeRequestView; children?: ReactNode }) {
  const { t } = useTranslation();
  const format = useFormat();
  const planned = useMemo(() => plannedPeople(request.items), [request.items]);
  const people = useUsersById(
    [
      request.makerUserId,
      ...request.subjectUserIds,
      ...request.approvals.map((a) => String((a as { validatorUserId?: string }).validatorUserId ?? '')),
    ].filter((id) => id && !planned.has(id)),
  );
  const name = (id: string) => personName(people.get(id), planned.get(id) ?? t('diff.unknownUser'));
  return (
    <PlannedPeople.Provider value={planned}>
      <Paper withBorder p="md" component="article" aria-labelledby={`cr-${request.id}`}>
        <Stack gap="sm">
          <Group justify="space-between" align="flex-start">
            <Stack gap={2}>
              <Title order={2} size="h4" id={`cr-${request.id}`}>
                {request.items.length > 1
                  ? t('requests.composite', { count: request.items.length })
                  : t(`kinds.${request.items[0]?.kind ?? request.kind}` as 'kinds.USER_CREATE', { defaultValue: request.kind })}
              </Title>
              <Text size="sm" c="dimmed">
                {t('requests.madeBy', { name: name(request.makerUserId), when: format.dateTime(request.createdAt) })}
              </Text>
            </Stack>
            <Group gap="xs">
              <StatusBadge status={request.status} />
              {request.status === 'PENDING' && (
                <Badge variant="outline" color="gray">
                  {t('requests.approvals', { done: request.approvals.length, required: request.requiredApprovals })}
                </Badge>
              )}
            </Group>
          </Group>
          {request.subjectUserIds.length > 0 && (
            <Text size="sm">
              <strong>{t('requests.subjects')}</strong> {request.subjectUserIds.map(name).join(', ')}
            </Text>
          )}
          {request.items.map((item) => (
            <Stack key={item.position} gap={4}>
              {request.items.length > 1 && (
                <Group gap="xs">
                  <Text size="sm" fw={600}>
                    {item.position + 1}. {t(`kinds.${item.kind}` as 'kinds.USER_CREATE', { defaultValue: item.kind })}
                  </Text>
                  {item.outcome && <StatusBadge status={item.outcome} />}
                </Group>
              )}
              <DiffInWords diff={item.diff} />
              {item.reason && (
                <Text size="sm" c="red.9">
                  {item.reason}
                </Text>
              )}
            </Stack>
          ))}
          <Group gap="lg">
            {request.status === 'PENDING' && (
              <Text size="sm">
                {t('requests.expires', {
                  when: format.dateTime(request.expiresAt),
                  relative: format.relative(Date.parse(request.expiresAt)),
                })}
              </Text>
            )}
            {request.approvals.length > 0 && (
              <Text size="sm">
                {t('requests.approvedBy')}{' '}
                {request.approvals.map((a) => name(String((a as { validatorUserId?: string }).validatorUserId ?? ''))).join(', ')}
              </Text>
            )}
            {request.reason && (
              <Text size="sm">
                <strong>{t('requests.reason')}</strong> {request.reason}
              </Text>
            )}
          </Group>
          {children}
        </Stack>
      </Paper>
    </PlannedPeople.Provider>
  );
}
