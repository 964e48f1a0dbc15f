// Administration → Account → Webhook secrets: whether the SMS and the inbound email webhook each
// have a secret and since when, and a button that makes a new one (shown once; the old one stops
// working at once, so replacing one asks first).
import { Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { profileKeys, webhookSecretsApi, type WebhookSecretName } from '../../api/profile.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../i18n/index.ts';
import { ShownOnceModal } from '../../components/ShownOnceModal.tsx';

const WEBHOOKS = [
  { name: 'sms-webhook', key: 'smsWebhook' },
  { name: 'email-webhook', key: 'emailWebhook' },
] as const;

export function WebhookSecrets() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: profileKeys.webhookSecrets,
    queryFn: webhookSecretsApi.status,
  });
  const [confirming, setConfirming] = useState<WebhookSecretName | null>(null);
  const [shown, setShown] = useState<{ name: WebhookSecretName; secret: string } | null>(null);
  const rotate = useMutation({
    mutationFn: (name: WebhookSecretName) => webhookSecretsApi.rotate(name),
    onSuccess: async (made, name) => {
      setConfirming(null);
      setShown({ name, secret: made.secret });
      await queryClient.invalidateQueries({ queryKey: profileKeys.webhookSecrets });
    },
  });

  return (
    <Paper withBorder radius="md" p="lg">
      <Stack>
        <Title order={2} size="h4">
          {t('accountSettings.secretsTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('accountSettings.secretsIntro')}
        </Text>
        {status.isError && <ErrorAlert error={status.error} />}
        {rotate.isError && !confirming && <ErrorAlert error={rotate.error} />}
        {status.data && (
          <Table verticalSpacing="sm" aria-label={t('accountSettings.secretsTitle')}>
            <Table.Tbody>
              {WEBHOOKS.map(({ name, key }) => {
                const made = status.data[key];
                return (
                  <Table.Tr key={name} data-webhook-secret={name}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {t(`accountSettings.secret.${key}`)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {made
                          ? t('accountSettings.secretSince', { at: formatDateTime(made.createdAt) })
                          : t('accountSettings.secretNone')}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        variant="light"
                        loading={rotate.isPending && rotate.variables === name}
                        onClick={() => (made ? setConfirming(name) : rotate.mutate(name))}
                        aria-label={t(
                          made ? 'accountSettings.rotateNamed' : 'accountSettings.createNamed',
                          { name: t(`accountSettings.secret.${key}`) },
                        )}
                      >
                        {t(made ? 'accountSettings.rotate' : 'accountSettings.create')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <ConfirmModal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title={t('accountSettings.rotateTitle')}
        confirmLabel={t('accountSettings.rotate')}
        onConfirm={() => confirming && rotate.mutate(confirming)}
        busy={rotate.isPending}
        error={rotate.error}
      >
        {t('accountSettings.rotateBody')}
      </ConfirmModal>
      {shown && (
        <ShownOnceModal
          title={t('accountSettings.secretShownTitle')}
          secret={shown.secret}
          how={t(
            shown.name === 'sms-webhook' ? 'accountSettings.smsHow' : 'accountSettings.emailHow',
          )}
          onClose={() => setShown(null)}
        />
      )}
    </Paper>
  );
}
