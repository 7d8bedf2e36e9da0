import { Checkbox, Group, MultiSelect, Paper, Radio, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { useCatalog } from '../api/queries';
import { GrantsEditor } from '../authorizations/GrantsEditor';
import { useMe } from '../session/SessionProvider';
import { useCatalogLabels } from '../ui/labels';
import { UserPicker } from '../ui/UserPicker';
import { CUSTOMISABLE, type RightsDraft, type RightsMethod, type Template } from './rights';

const TEMPLATES: Template[] = ['DIRECTOR', 'ACCOUNTANT', 'PREPARER', 'VALIDATOR'];
const TEMPLATE_SERVICES = ['BANKING', 'EINVOICING', 'ACCOUNTING_PORTAL', 'EDI', 'REPORTS'];

export function useCompanyResources() {
  const { me } = useMe();
  return useQuery({
    queryKey: ['resources', me.companyId],
    queryFn: () =>
      ok(api.GET('/api/v1/companies/{companyId}/resources', { params: { path: { companyId: me.companyId }, query: { pageSize: 100 } } })),
    staleTime: 5 * 60_000,
  });
}

export function useCompanyAuthorizations() {
  const { me } = useMe();
  return useQuery({
    queryKey: ['authorizations', me.companyId, 'all'],
    queryFn: () =>
      ok(
        api.GET('/api/v1/companies/{companyId}/authorizations', {
          params: { path: { companyId: me.companyId }, query: { pageSize: 100 } },
        }),
      ),
  });
}

/**
 * The three ways of giving rights of seed 001 — a template to customise, a copy of another user
 * with exclusions, or custom rights (existing authorizations, or a new one) — or none for now.
 */
export function RightsChooser({
  value,
  onChange,
  excludeUserId,
  errors,
}: {
  value: RightsDraft;
  onChange: (d: RightsDraft) => void;
  excludeUserId?: string;
  errors: Record<string, string[]>;
}) {
  const { t } = useTranslation();
  const catalog = useCatalog();
  const labels = useCatalogLabels(catalog.data);
  const resources = useCompanyResources();
  const authorizations = useCompanyAuthorizations();
  const resourceList = resources.data?.items ?? [];
  const set = <K extends keyof RightsDraft>(key: K, v: RightsDraft[K]) => onChange({ ...value, [key]: v });
  const tpl = value.template;
  const customisable = CUSTOMISABLE.includes(tpl.template);
  const error = (...names: string[]) => names.map((n) => errors[n]?.join(' · ')).find(Boolean);

  return (
    <Stack>
      <SegmentedControl
        value={value.method}
        onChange={(m) => set('method', m as RightsMethod)}
        aria-label={t('rights.method')}
        data={[
          { value: 'TEMPLATE', label: t('rights.methods.TEMPLATE') },
          { value: 'COPY', label: t('rights.methods.COPY') },
          { value: 'CUSTOM', label: t('rights.methods.CUSTOM') },
          { value: 'NONE', label: t('rights.methods.NONE') },
        ]}
        fullWidth
      />
      <Text size="sm" c="dimmed">
        {t(`rights.methodHints.${value.method}`)}
      </Text>

      {value.method === 'TEMPLATE' && (
        <Stack>
          <Radio.Group
            label={t('rights.template')}
            value={tpl.template}
            onChange={(v) => set('template', { ...tpl, template: v as Template })}
            error={error('template')}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
              {TEMPLATES.map((name) => (
                <Paper key={name} withBorder p="sm">
                  <Radio value={name} label={t(`rights.templates.${name}`)} description={t(`rights.templateHints.${name}`)} />
                </Paper>
              ))}
            </SimpleGrid>
          </Radio.Group>
          <Checkbox.Group
            label={t('rights.services')}
            value={tpl.services}
            onChange={(services) => set('template', { ...tpl, services })}
            error={error('services')}
          >
            <Group mt="xs">
              {TEMPLATE_SERVICES.map((s) => (
                <Checkbox key={s} value={s} label={labels.service(s)} />
              ))}
            </Group>
          </Checkbox.Group>
          {customisable && (
            <Paper withBorder p="sm">
              <Title order={3} size="h5" mb={4}>
                {t('rights.customise')}
              </Title>
              <Text size="sm" c="dimmed" mb="xs">
                {t('rights.customiseHint')}
              </Text>
              {tpl.services.includes('BANKING') && (
                <Checkbox.Group
                  label={t('rights.resourcesKept')}
                  value={resourceList.filter((r) => !tpl.excludedResourceIds.includes(r.id)).map((r) => r.id)}
                  onChange={(kept) =>
                    set('template', { ...tpl, excludedResourceIds: resourceList.filter((r) => !kept.includes(r.id)).map((r) => r.id) })
                  }
                  error={error('excludedResourceIds')}
                >
                  <Stack gap={4} mt="xs">
                    {resourceList.map((r) => (
                      <Checkbox
                        key={r.id}
                        value={r.id}
                        label={`${r.label} — ${r.identifier} (${t(`resourceKind.${r.kind}`)}, ${r.contractType})`}
                      />
                    ))}
                  </Stack>
                </Checkbox.Group>
              )}
              <Checkbox.Group
                mt="sm"
                label={t('rights.rightsKept')}
                value={tpl.services
                  .flatMap((s) => (catalog.data?.find((c) => c.code === s)?.rights ?? []).map((r) => `${s}:${r.code}`))
                  .filter((key) => !tpl.excludedRights.some((e) => `${e.service}:${e.right}` === key))}
                onChange={(kept) =>
                  set('template', {
                    ...tpl,
                    excludedRights: tpl.services.flatMap((s) =>
                      (catalog.data?.find((c) => c.code === s)?.rights ?? [])
                        .filter((r) => !kept.includes(`${s}:${r.code}`))
                        .map((r) => ({ service: s, right: r.code })),
                    ),
                  })
                }
                error={error('excludedRights')}
              >
                <Stack gap={4} mt="xs">
                  {tpl.services.flatMap((s) =>
                    (catalog.data?.find((c) => c.code === s)?.rights ?? [])
                      .filter((r) => !(s === 'BANKING' && tpl.template === 'PREPARER' && r.code === 'VALIDATE'))
                      .map((r) => (
                        <Checkbox
                          key={`${s}:${r.code}`}
                          value={`${s}:${r.code}`}
                          label={`${labels.service(s)} — ${labels.right(s, r.code)}`}
                        />
                      )),
                  )}
                </Stack>
              </Checkbox.Group>
            </Paper>
          )}
        </Stack>
      )}

      {value.method === 'COPY' && (
        <Stack>
          <UserPicker
            label={t('rights.copyFrom')}
            value={value.copy.fromUserId}
            onChange={(fromUserId) => set('copy', { ...value.copy, fromUserId })}
            exclude={excludeUserId ? [excludeUserId] : []}
            error={error('fromUserId')}
            status="ACTIVE"
          />
          <Checkbox.Group
            label={t('rights.excludeServices')}
            value={value.copy.excludedServices}
            onChange={(excludedServices) => set('copy', { ...value.copy, excludedServices })}
          >
            <Group mt="xs">
              {(catalog.data ?? []).map((s) => (
                <Checkbox key={s.code} value={s.code} label={labels.service(s.code)} />
              ))}
            </Group>
          </Checkbox.Group>
          <MultiSelect
            label={t('rights.excludeResources')}
            value={value.copy.excludedResourceIds}
            onChange={(excludedResourceIds) => set('copy', { ...value.copy, excludedResourceIds })}
            data={resourceList.map((r) => ({ value: r.id, label: `${r.label} (${r.identifier})` }))}
            maw={520}
          />
        </Stack>
      )}

      {value.method === 'CUSTOM' && (
        <Stack>
          <MultiSelect
            label={t('rights.attachTo')}
            description={t('rights.attachToHint')}
            value={value.custom.attach}
            onChange={(attach) => set('custom', { ...value.custom, attach })}
            data={(authorizations.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.label} — ${labels.service(a.service)}` }))}
            maw={640}
          />
          <Paper withBorder p="sm">
            <Title order={3} size="h5" mb="xs">
              {t('rights.newAuthorization')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('authorizations.label')}
                description={t('rights.newAuthorizationHint')}
                value={value.custom.create.label}
                onChange={(e) => set('custom', { ...value.custom, create: { ...value.custom.create, label: e.currentTarget.value } })}
                error={error('label')}
              />
              <SelectService
                value={value.custom.create.service}
                onChange={(service) => set('custom', { ...value.custom, create: { ...value.custom.create, service, grants: [] } })}
              />
            </SimpleGrid>
            {value.custom.create.label.trim() && (
              <GrantsEditor
                service={catalog.data?.find((s) => s.code === value.custom.create.service)}
                resources={resourceList}
                grants={value.custom.create.grants}
                onChange={(grants) => set('custom', { ...value.custom, create: { ...value.custom.create, grants } })}
                error={error('grants')}
              />
            )}
          </Paper>
        </Stack>
      )}
    </Stack>
  );
}

function SelectService({ value, onChange }: { value: string; onChange: (s: string) => void }) {
  const { t } = useTranslation();
  const catalog = useCatalog();
  const labels = useCatalogLabels(catalog.data);
  return (
    <Radio.Group label={t('authorizations.service')} value={value} onChange={onChange}>
      <Group mt={4}>
        {(catalog.data ?? []).map((s) => (
          <Radio key={s.code} value={s.code} label={labels.service(s.code)} />
        ))}
      </Group>
    </Radio.Group>
  );
}
