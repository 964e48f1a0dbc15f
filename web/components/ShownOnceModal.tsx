// A secret the server answers once (a new API token, a new webhook secret), with a copy button
// and what to do with it: Kunde keeps only its hash and never shows it again.
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

export function ShownOnceModal(props: {
  title: string;
  secret: string;
  how: string;
  /** The warning above the secret; the profile's words unless given. */
  warning?: string;
  testId?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={props.onClose} size="lg" title={<Text fw={600}>{props.title}</Text>}>
      <Stack>
        <Alert color="yellow">{props.warning ?? t('profile.shownOnce')}</Alert>
        <Group gap="xs" wrap="nowrap">
          <Code
            data-testid={props.testId ?? 'shown-once-secret'}
            style={{ wordBreak: 'break-all' }}
          >
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
          {props.how}
        </Text>
        <Group justify="flex-end">
          <Button onClick={props.onClose}>{t('webhooks.secretDone')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
