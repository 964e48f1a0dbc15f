// The console's "not found" (issue 16 point 4): an address the console has no page for, and an
// object that does not exist, whose API answer is 404 or, for an id that cannot be one, a 400
// or 422 naming the path's `id` ("id: not a valid id" was all a mistyped URL showed before).
// Both say what is missing and offer a way back.
import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client.ts';

/** Whether an API error means "there is no such object" (404, or an id that cannot be one). */
export function isMissingObject(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 404) return true;
  return (
    (error.status === 400 || error.status === 422) &&
    error.errors.length > 0 &&
    error.errors.every((e) => e.field === 'id')
  );
}

export function NotFound(props: { title: string; message: string; backTo: string; back: string }) {
  return (
    <Paper withBorder radius="md" p="xl" maw={640} role="region" aria-label={props.title}>
      <Stack>
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
          404
        </Text>
        <Title order={1} size="h2">
          {props.title}
        </Title>
        <Text c="dimmed">{props.message}</Text>
        <Group>
          <Button component={Link} to={props.backTo} leftSection={<IconArrowLeft size={16} />}>
            {props.back}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** An address inside the console that matches no page. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <NotFound
      title={t('notFound.pageTitle')}
      message={t('notFound.pageMessage')}
      backTo="/customers"
      back={t('notFound.toCustomers')}
    />
  );
}
