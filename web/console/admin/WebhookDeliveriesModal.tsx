// The delivery log of one webhook endpoint, newest first: each delivery's event, status,
// response code, when it was made, how long the last attempt took, attempts, why it failed, when
// the next attempt is due; a failed one can be sent again. Paged by the server's cursor.
import { Badge, Button, Group, Loader, Modal, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh, IconSend } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { WebhookDelivery, WebhookEndpoint } from '../../../common/webhook.ts';
import { webhookKeys, webhooksApi } from '../../api/webhooks.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../i18n/index.ts';
import { localizeServerMessage } from '../../i18n/server-messages.ts';

const STATUS_COLORS: Record<WebhookDelivery['status'], string> = {
  pending: 'blue',
  retrying: 'orange',
  delivered: 'green',
  failed: 'red',
};

export function DeliveryStatusBadge({ status }: { status: WebhookDelivery['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" radius="sm">
      {t(`webhooks.status.${status}`)}
    </Badge>
  );
}

export function WebhookDeliveriesModal(props: {
  endpoint: WebhookEndpoint;
  onClose: () => void;
  onTest: () => void;
  testing: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { endpoint } = props;
  const log = useInfiniteQuery({
    queryKey: webhookKeys.deliveries(endpoint.id),
    queryFn: ({ pageParam }) => webhooksApi.deliveries(endpoint.id, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
  const retry = useMutation({
    mutationFn: (delivery: WebhookDelivery) => webhooksApi.retry(delivery.id),
    onSuccess: async (delivery) => {
      notifications.show({
        color: delivery.status === 'delivered' ? 'green' : 'red',
        message:
          delivery.status === 'delivered'
            ? t('webhooks.retryDelivered')
            : t('webhooks.retryFailed'),
      });
      await queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(endpoint.id) });
    },
  });
  const deliveries = log.data?.pages.flatMap((p) => p.items) ?? [];
  const total = log.data?.pages[0]?.total ?? 0;

  return (
    <Modal
      opened
      onClose={props.onClose}
      size="xl"
      title={<Text fw={600}>{t('webhooks.logTitle', { url: endpoint.url })}</Text>}
    >
      <Stack>
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('webhooks.logCount', { count: total })}
          </Text>
          <Group gap="xs">
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} />}
              onClick={() => void log.refetch()}
            >
              {t('webhooks.refresh')}
            </Button>
            <Button
              leftSection={<IconSend size={16} />}
              onClick={props.onTest}
              loading={props.testing}
              disabled={!endpoint.active}
            >
              {t('webhooks.sendTest')}
            </Button>
          </Group>
        </Group>
        {log.isError && <ErrorAlert error={log.error} />}
        {retry.isError && <ErrorAlert error={retry.error} />}
        {log.isPending && <Loader aria-label={t('app.loading')} />}
        {log.data && deliveries.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('webhooks.logEmpty')}
          </Text>
        )}
        {deliveries.length > 0 && (
          <Table verticalSpacing="xs" horizontalSpacing="sm" data-testid="webhook-log">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th>{t('webhooks.logEvent')}</Table.Th>
                <Table.Th>{t('webhooks.logStatus')}</Table.Th>
                <Table.Th>{t('webhooks.logResponse')}</Table.Th>
                <Table.Th>{t('webhooks.logTime')}</Table.Th>
                <Table.Th>{t('webhooks.logDuration')}</Table.Th>
                <Table.Th>{t('webhooks.logAttempts')}</Table.Th>
                <Table.Th w={1} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {d.eventType}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <DeliveryStatusBadge status={d.status} />
                      {d.error && (
                        <Text size="xs" c="dimmed">
                          {localizeServerMessage(d.error, t)}
                        </Text>
                      )}
                      {d.status === 'retrying' && d.nextAttemptAt && (
                        <Text size="xs" c="dimmed">
                          {t('webhooks.nextAttempt', { date: formatDateTime(d.nextAttemptAt) })}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.responseStatus ?? t('app.emptyValue')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(d.deliveredAt ?? d.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {d.durationMs === null
                        ? t('app.emptyValue')
                        : t('webhooks.milliseconds', { ms: d.durationMs })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.attempts}</Text>
                  </Table.Td>
                  <Table.Td>
                    {d.status === 'failed' && (
                      <Tooltip label={t('webhooks.retry')}>
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() => retry.mutate(d)}
                          loading={retry.isPending && retry.variables.id === d.id}
                        >
                          {t('webhooks.retry')}
                        </Button>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {log.hasNextPage && (
          <Button
            variant="default"
            onClick={() => void log.fetchNextPage()}
            loading={log.isFetchingNextPage}
          >
            {t('webhooks.more')}
          </Button>
        )}
      </Stack>
    </Modal>
  );
}
