// The frame of the pages before signing in (sign-in, register, links, access off): the account's
// name at the top, the language switch, one centred card that fits a phone.
import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useHubT } from '../i18n/index.ts';
import { LanguageMenu } from './LanguageMenu.tsx';

export function PublicFrame(props: {
  accountName: string;
  title: string;
  subtitle?: string;
  children: ReactNode;
}) {
  const { t } = useHubT();
  return (
    <Box mih="100vh" bg="gray.0">
      <Group justify="space-between" px="md" py="sm" wrap="nowrap" component="header">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text fw={700} size="lg" c="blue.9" truncate>
            {props.accountName}
          </Text>
          <Text size="xs" c="dimmed">
            {t('app.name')}
          </Text>
        </Stack>
        <LanguageMenu />
      </Group>
      <Center px="sm" pt={32} pb="xl">
        <Paper withBorder shadow="sm" radius="md" p="lg" w="100%" maw={440} component="main">
          {props.title && (
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
          )}
          {props.children}
        </Paper>
      </Center>
    </Box>
  );
}
