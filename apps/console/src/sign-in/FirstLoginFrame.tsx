import { Center, Group, Paper, Stack, Stepper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../app/Layout';

/** The first sign-in's steps (seed 000 then seed 001): new password, then strong authentication. */
export function FirstLoginFrame({ step, title, intro, children }: { step: 0 | 1 | 2; title: string; intro: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Center mih="100vh" p="md" component="main">
      <Stack w="100%" maw={560}>
        <Group justify="space-between">
          <Text fw={700} size="xl">
            Procura
          </Text>
          <LanguageSwitch />
        </Group>
        <Stepper active={step} size="sm" aria-label={t('firstLogin.steps')}>
          <Stepper.Step label={t('firstLogin.stepPassword')} />
          <Stepper.Step label={t('firstLogin.stepTotp')} />
          <Stepper.Step label={t('firstLogin.stepDone')} />
        </Stepper>
        <Paper withBorder p="lg" radius="md">
          <Title order={1} size="h3" mb="xs">
            {title}
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            {intro}
          </Text>
          {children}
        </Paper>
      </Stack>
    </Center>
  );
}
