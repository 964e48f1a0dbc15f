// Administration → Webhooks (issue 15): the account's endpoints with the events each hears;
// register one (its secret is shown once), edit, deactivate or activate, rotate the secret,
// send a test event, open the delivery log, delete.
import { ActionIcon, Badge, Button, Group, Loader, Menu, Paper, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDots, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_WEBHOOK_ENDPOINTS, type WebhookEndpoint } from '../../../common/webhook.ts';
import { webhookKeys, webhooksApi } from '../../api/webhooks.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeServerMessage } from '../../i18n/server-messages.ts';
import { AdminPage } from './AdminPage.tsx';
import { WebhookDeliveriesModal } from './WebhookDeliveriesModal.tsx';
import { WebhookFormModal } from './WebhookFormModal.tsx';
import { WebhookSecretModal } from './WebhookSecretModal.tsx';

export function WebhooksPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const endpoints = useQuery({ queryKey: webhookKeys.endpoints, queryFn: webhooksApi.list });
  const [editing, setEditing] = useState<WebhookEndpoint | 'new' | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpoint | null>(null);
  const [logOf, setLogOf] = useState<WebhookEndpoint | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhookKeys.endpoints });

  const toggle = useMutation({
    mutationFn: (endpoint: WebhookEndpoint) =>
      webhooksApi.update(endpoint.id, { active: !endpoint.active }),
    onSuccess: async (endpoint) => {
      notifications.show({
        color: 'gray',
        message: t(endpoint.active ? 'webhooks.activated' : 'webhooks.deactivated'),
      });
      await refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: (endpoint: WebhookEndpoint) =>
      webhooksApi.update(endpoint.id, { rotateSecret: true }),
    onSuccess: (endpoint) => {
      setRotating(null);
      if (endpoint.secret) setSecret(endpoint.secret);
    },
  });
  const remove = useMutation({
    mutationFn: (endpoint: WebhookEndpoint) => webhooksApi.remove(endpoint.id),
    onSuccess: async () => {
      setDeleting(null);
      notifications.show({ color: 'gray', message: t('webhooks.deleted') });
      await refresh();
    },
  });
  const test = useMutation({
    mutationFn: (endpoint: WebhookEndpoint) => webhooksApi.test(endpoint.id),
    onSuccess: async (delivery) => {
      notifications.show({
        color: delivery.status === 'delivered' ? 'green' : 'red',
        message:
          delivery.status === 'delivered'
            ? t('webhooks.testDelivered', { status: delivery.responseStatus ?? '' })
            : t('webhooks.testFailed', {
                reason: delivery.error ? localizeServerMessage(delivery.error, t) : '',
              }),
      });
      await queryClient.invalidateQueries({
        queryKey: webhookKeys.deliveries(delivery.endpointId),
      });
    },
  });

  const full = (endpoints.data?.length ?? 0) >= MAX_WEBHOOK_ENDPOINTS;
  return (
    <AdminPage
      title={t('webhooks.title')}
      description={t('webhooks.intro')}
      actions={
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => setEditing('new')}
          disabled={full}
        >
          {t('webhooks.add')}
        </Button>
      }
    >
      {endpoints.isError && <ErrorAlert error={endpoints.error} />}
      {(toggle.isError || test.isError) && <ErrorAlert error={toggle.error ?? test.error} />}
      {endpoints.isPending && <Loader aria-label={t('app.loading')} />}
      {endpoints.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('webhooks.empty')}
        </Text>
      )}
      {endpoints.data && endpoints.data.length > 0 && (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table verticalSpacing="sm" horizontalSpacing="md">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th>{t('webhooks.url')}</Table.Th>
                <Table.Th>{t('webhooks.events')}</Table.Th>
                <Table.Th>{t('webhooks.state')}</Table.Th>
                <Table.Th w={1}>{t('customers.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {endpoints.data.map((endpoint) => (
                <Table.Tr key={endpoint.id}>
                  <Table.Td>
                    <Text size="sm" fw={600} ff="monospace" style={{ wordBreak: 'break-all' }}>
                      {endpoint.url}
                    </Text>
                    {endpoint.description && (
                      <Text size="xs" c="dimmed">
                        {endpoint.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {t('webhooks.eventCount', { count: endpoint.events.length })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={endpoint.active ? 'green' : 'gray'} variant="light" radius="sm">
                      {endpoint.active ? t('webhooks.active') : t('webhooks.inactive')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="xs" variant="light" onClick={() => setLogOf(endpoint)}>
                        {t('webhooks.log')}
                      </Button>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon
                            variant="subtle"
                            aria-label={t('webhooks.actionsFor', { url: endpoint.url })}
                          >
                            <IconDots size={16} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item
                            disabled={!endpoint.active}
                            onClick={() => test.mutate(endpoint)}
                          >
                            {t('webhooks.sendTest')}
                          </Menu.Item>
                          <Menu.Item onClick={() => setEditing(endpoint)}>
                            {t('webhooks.edit')}
                          </Menu.Item>
                          <Menu.Item onClick={() => toggle.mutate(endpoint)}>
                            {endpoint.active ? t('webhooks.deactivate') : t('webhooks.activate')}
                          </Menu.Item>
                          <Menu.Item onClick={() => setRotating(endpoint)}>
                            {t('webhooks.rotate')}
                          </Menu.Item>
                          <Menu.Divider />
                          <Menu.Item color="red" onClick={() => setDeleting(endpoint)}>
                            {t('webhooks.delete')}
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {editing && (
        <WebhookFormModal
          endpoint={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={async (saved) => {
            setEditing(null);
            notifications.show({ color: 'green', message: t('webhooks.saved') });
            if ('secret' in saved && saved.secret) setSecret(saved.secret);
            await refresh();
          }}
        />
      )}
      {secret && <WebhookSecretModal secret={secret} onClose={() => setSecret(null)} />}
      {logOf && (
        <WebhookDeliveriesModal
          endpoint={logOf}
          onClose={() => setLogOf(null)}
          onTest={() => test.mutate(logOf)}
          testing={test.isPending}
        />
      )}
      <ConfirmModal
        opened={rotating !== null}
        onClose={() => {
          setRotating(null);
          rotate.reset();
        }}
        title={t('webhooks.rotateTitle')}
        confirmLabel={t('webhooks.rotateConfirm')}
        onConfirm={() => rotating && rotate.mutate(rotating)}
        busy={rotate.isPending}
        error={rotate.error}
      >
        {t('webhooks.rotateExplain')}
      </ConfirmModal>
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        title={t('webhooks.deleteTitle')}
        confirmLabel={t('webhooks.deleteConfirm')}
        onConfirm={() => deleting && remove.mutate(deleting)}
        busy={remove.isPending}
        error={remove.error}
      >
        {t('webhooks.deleteExplain', { url: deleting?.url ?? '' })}
      </ConfirmModal>
    </AdminPage>
  );
}
