// The signing secret of a webhook endpoint, shown the one time the server answers it (on
// creation and when it is rotated), with a copy button: Kunde never shows it again.
import {
  ActionIcon,
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export function WebhookSecretModal(props: { secret: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened
      onClose={props.onClose}
      size="lg"
      title={<Text fw={600}>{t('webhooks.secretTitle')}</Text>}
    >
      <Stack>
        <Alert color="yellow">{t('webhooks.secretOnce')}</Alert>
        <Group gap="xs" wrap="nowrap">
          <Code data-testid="webhook-secret" style={{ wordBreak: 'break-all' }}>
            {props.secret}
          </Code>
          <CopyButton value={props.secret}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('webhooks.copied') : t('webhooks.copy')}>
                <ActionIcon variant="subtle" aria-label={t('webhooks.copy')} onClick={copy}>
                  {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Text size="sm" c="dimmed">
          {t('webhooks.secretHow')}
        </Text>
        <Group justify="flex-end">
          <Button onClick={props.onClose}>{t('webhooks.secretDone')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
