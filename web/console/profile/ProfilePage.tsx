// The signed-in agent's profile (/profile, from the menu under their name): who they are, their
// password (changed with the current one) and their own API tokens.
import { Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session.tsx';
import { ApiTokens } from './ApiTokens.tsx';
import { PasswordForm } from './PasswordForm.tsx';

export function ProfilePage() {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <Stack gap="lg" maw={960}>
      <Stack gap={4}>
        <Title order={1} size="h2">
          {t('profile.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('profile.intro', {
            name: session.user.name,
            email: session.user.email,
            role: session.user.roleName,
          })}
        </Text>
      </Stack>
      <Paper withBorder radius="md" p="lg">
        <PasswordForm />
      </Paper>
      <Paper withBorder radius="md" p="lg">
        <ApiTokens />
      </Paper>
    </Stack>
  );
}
