// The frame of an Administration page: title, a line on what it is for, and a plain refusal for
// agents without the "manage settings" permission (the server refuses their changes anyway).
import { Alert, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Permission } from '../../../common/permissions.ts';
import { useCan } from '../session.tsx';

export function AdminPage({
  title,
  description,
  actions,
  children,
  permission = 'settings.manage',
}: {
  title: string;
  description: string;
  actions?: ReactNode;
  children: ReactNode;
  /** What the page needs; most of Administration is "manage settings", Teams "manage agents". */
  permission?: Permission;
}) {
  const { t } = useTranslation();
  const allowed = useCan(permission);
  return (
    <Stack gap="lg" maw={960}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {t('nav.administration')}
          </Text>
          <Title order={1} size="h2">
            {title}
          </Title>
          <Text size="sm" c="dimmed" maw={640}>
            {description}
          </Text>
        </Stack>
        {allowed && actions}
      </Group>
      {allowed ? children : <Alert color="gray">{t('errors.forbidden')}</Alert>}
    </Stack>
  );
}
