import { Checkbox, Group, MultiSelect, Paper, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CatalogService, GrantDto, ResourceView } from '../api/types';

/**
 * Rights and levels of one service (seed 000, step 4): tick the rights, then choose the level of
 * each; banking rights also name the accounts and contracts they cover (seed 001).
 */
export function GrantsEditor({
  service,
  resources,
  grants,
  onChange,
  error,
}: {
  service: CatalogService | undefined;
  resources: ResourceView[];
  grants: GrantDto[];
  onChange: (grants: GrantDto[]) => void;
  error?: string;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  if (!service) return null;
  const defaultLevel = service.levels[0]?.code ?? '';
  const toggle = (right: string, on: boolean) =>
    onChange(on ? [...grants, { right, level: defaultLevel, resourceIds: [] }] : grants.filter((g) => g.right !== right));
  const update = (right: string, change: Partial<GrantDto>) => onChange(grants.map((g) => (g.right === right ? { ...g, ...change } : g)));
  return (
    <Stack gap="xs">
      {error && (
        <Text c="red.9" size="sm" role="alert">
          {error}
        </Text>
      )}
      {service.rights.map((right) => {
        const grant = grants.find((g) => g.right === right.code);
        const label = en ? right.labelEn : right.labelFr;
        return (
          <Paper key={right.code} withBorder p="sm">
            <Checkbox label={label} checked={!!grant} onChange={(e) => toggle(right.code, e.currentTarget.checked)} />
            {grant && (
              <Group mt="xs" ml="xl" align="flex-end" wrap="wrap">
                {service.levels.length > 1 && (
                  <Select
                    label={t('grants.level', { right: label })}
                    value={grant.level}
                    onChange={(level) => level && update(right.code, { level })}
                    data={service.levels.map((l) => ({ value: l.code, label: en ? l.labelEn : l.labelFr }))}
                    allowDeselect={false}
                    w={320}
                  />
                )}
                {right.resourceScope === 'ACCOUNTS_AND_CONTRACTS' && (
                  <MultiSelect
                    label={t('grants.resources', { right: label })}
                    value={grant.resourceIds ?? []}
                    onChange={(resourceIds) => update(right.code, { resourceIds })}
                    data={resources.map((r) => ({ value: r.id, label: `${r.label} (${r.identifier})` }))}
                    w={420}
                    required
                  />
                )}
              </Group>
            )}
          </Paper>
        );
      })}
    </Stack>
  );
}
