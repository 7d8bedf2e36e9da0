import { List, Stack, Text } from '@mantine/core';
import { useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { personName, useCatalog, useUsersById } from '../api/queries';
import { useCompanyResources } from '../add-user/RightsChooser';
import { useCatalogLabels } from './labels';
import { PlannedPeople } from './planned-people';

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every user id a diff mentions (to show names, not ids). */
function userIdsIn(value: Json, key = ''): string[] {
  if (typeof value === 'string') return UUID.test(value) && /user/i.test(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => userIdsIn(v, key));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => userIdsIn(v, k));
  return [];
}

/**
 * A change's diff in words: each field with its value before and after; authorizations and
 * grants as sentences naming people, rights and accounts (the validator approves what they read).
 */
export function DiffInWords({ diff }: { diff: Record<string, Json> }) {
  const { t } = useTranslation();
  const catalog = useCatalog();
  const labels = useCatalogLabels(catalog.data);
  const resources = useCompanyResources();
  const planned = useContext(PlannedPeople);
  const users = useUsersById(userIdsIn(diff).filter((id) => !planned.has(id)));
  const userName = (id: string) => personName(users.get(id), planned.get(id) ?? t('diff.unknownUser'));
  const resourceName = (id: string) => {
    const r = resources.data?.items.find((x) => x.id === id);
    return r ? `${r.label} (${r.identifier})` : id;
  };
  const plain = (key: string, value: Json): string => {
    if (value === null || value === undefined || value === '') return t('diff.empty');
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    if (typeof value === 'string' && UUID.test(value))
      return /user/i.test(key) ? userName(value) : /resource/i.test(key) ? resourceName(value) : value;
    if (typeof value === 'string') return t(`values.${value}` as 'values.ACTIVE', { defaultValue: value });
    if (Array.isArray(value)) return value.map((v) => plain(key, v)).join(', ') || t('diff.empty');
    if (isObject(value))
      return Object.entries(value)
        .map(([k, v]) => `${fieldLabel(k)}: ${plain(k, v)}`)
        .join(' · ');
    return String(value);
  };
  const fieldLabel = (key: string) => t(`fields.${key}` as 'fields.email', { defaultValue: key });
  const grantText = (service: string, g: Record<string, Json>) => {
    const right = labels.right(service, String(g.right));
    const level = labels.level(service, String(g.level));
    const on =
      Array.isArray(g.resourceIds) && g.resourceIds.length
        ? ` — ${t('diff.on')} ${g.resourceIds.map((id) => resourceName(String(id))).join(', ')}`
        : '';
    return `${right} (${level})${on}`;
  };
  const authorizationText = (a: Record<string, Json>) => {
    const service = String(a.service ?? '');
    return (
      <Stack gap={2}>
        <Text size="sm" fw={600}>
          {t('diff.newAuthorization', { label: String(a.label ?? ''), service: labels.service(service) })}
        </Text>
        {Array.isArray(a.userIds) && a.userIds.length > 0 && (
          <Text size="sm">
            {t('diff.forUsers')} {a.userIds.map((id) => (typeof id === 'string' ? userName(id) : t('diff.newPerson'))).join(', ')}
          </Text>
        )}
        <List size="sm">
          {(Array.isArray(a.grants) ? a.grants : []).filter(isObject).map((g, i) => (
            <List.Item key={i}>{grantText(service, g)}</List.Item>
          ))}
        </List>
      </Stack>
    );
  };

  const before = isObject(diff.before) ? diff.before : undefined;
  const after = isObject(diff.after) ? diff.after : undefined;
  if (after && (Array.isArray(after.create) || Array.isArray(after.attach))) {
    const create = (Array.isArray(after.create) ? after.create : []).filter(isObject);
    const attach = Array.isArray(after.attach) ? after.attach : [];
    const substitutions = (Array.isArray(after.substitutions) ? after.substitutions : []).filter(isObject);
    return (
      <Stack gap="xs">
        {create.map((a, i) => (
          <div key={i}>{authorizationText(a)}</div>
        ))}
        {attach.map((a, i) => (
          <Text size="sm" key={i}>
            {t('diff.attach', { label: isObject(a) ? String(a.label ?? a.id ?? '') : String(a) })}
          </Text>
        ))}
        {substitutions.map((s, i) => (
          <Text size="sm" key={i} c="#9c3d00">
            {t('diff.substitution', {
              requested: plain('', s.requested),
              given: s.given ? plain('', s.given) : t('diff.nothing'),
              on: s.resourceId ? resourceName(String(s.resourceId)) : labels.service(String(s.service ?? '')),
            })}
          </Text>
        ))}
        {create.length === 0 && attach.length === 0 && <Text size="sm">{t('diff.nothingToGive')}</Text>}
      </Stack>
    );
  }
  if (after && Array.isArray(after.grants) && after.service) return authorizationText(after);
  const blank = (v: Json) => v === null || v === undefined || v === '';
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter(
    (k) =>
      !['id', 'version', 'companyId', 'createdAt', 'updatedAt'].includes(k) &&
      JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]) &&
      // Something created: only what it has (a permanent credential has no end date to read about).
      !(!before && after && blank(after[k])),
  );
  if (!before && !after) return <Text size="sm">{plain('', diff)}</Text>;
  return (
    <List size="sm" spacing={2}>
      {keys.map((k) => (
        <List.Item key={k}>
          <Text span size="sm" fw={600}>
            {fieldLabel(k)}
          </Text>{' '}
          {before && k in before && (
            <>
              <span className="diff-before">{plain(k, before[k])}</span> →{' '}
            </>
          )}
          <span className="diff-after">{after && k in after ? plain(k, after[k]) : t('diff.removed')}</span>
        </List.Item>
      ))}
    </List>
  );
}
