// The frame of the pages seen before logging in (login, first-run setup): a centred card.
import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch.tsx';

export function AuthFrame(props: { title: string; subtitle?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="gray.0">
      <Group justify="space-between" px="lg" py="sm">
        <Text fw={700} size="xl" c="blue.7" style={{ letterSpacing: '-0.02em' }}>
          {t('app.name')}
        </Text>
        <LanguageSwitch />
      </Group>
      <Center px="md" pt={48} pb="xl">
        <Paper withBorder shadow="sm" radius="md" p="xl" w="100%" maw={420} component="main">
          <Stack gap={4} mb="lg">
            <Title order={1} size="h2">
              {props.title}
            </Title>
            {props.subtitle && (
              <Text c="dimmed" size="sm">
                {props.subtitle}
              </Text>
            )}
          </Stack>
          {props.children}
        </Paper>
      </Center>
    </Box>
  );
}
