// Administration → Inbound mail: every message Kunde accepted that did not become a ticket. Failed
// mail shows its last error, its attempts and whether another attempt is queued, with a Retry
// button; ignored mail shows why (a list, a bounce, our own address…). Nothing accepted is hidden.
import {
  Anchor,
  Badge,
  Button,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh, IconReload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InboundEmail } from '../../../common/inbound.ts';
import { inboundApi, inboundKeys, type InboundFilter } from '../../api/inbound.ts';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../i18n/index.ts';
import { localizeServerMessage } from '../../i18n/server-messages.ts';
import { AdminPage } from './AdminPage.tsx';

const STATE_COLORS: Record<InboundEmail['state'], string> = {
  received: 'blue',
  processed: 'green',
  ignored: 'gray',
  failed: 'red',
};
const FILTERS = ['failed', 'ignored', 'processed', 'all'] as const satisfies InboundFilter[];
type Filter = (typeof FILTERS)[number];

export function InboundMailPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('failed');
  const inbound = useQuery({
    queryKey: inboundKeys.list(filter),
    queryFn: () => inboundApi.list(filter),
    refetchInterval: 15_000,
  });

  return (
    <AdminPage
      title={t('inbound.title')}
      description={t('inbound.intro')}
      actions={
        <Button
          variant="default"
          leftSection={<IconRefresh size={16} />}
          onClick={() => void inbound.refetch()}
          loading={inbound.isFetching}
        >
          {t('inbound.refresh')}
        </Button>
      }
    >
      <SegmentedControl
        aria-label={t('inbound.filterLabel')}
        value={filter}
        onChange={setFilter}
        data={FILTERS.map((value) => ({ value, label: t(`inbound.filter.${value}`) }))}
        w="fit-content"
      />
      {inbound.isError && <ErrorAlert error={inbound.error} />}
      {inbound.isPending && <Loader aria-label={t('app.loading')} />}
      {inbound.data && (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={900} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead bg="gray.0">
                <Table.Tr style={{ whiteSpace: 'nowrap' }}>
                  <Table.Th>{t('inbound.received')}</Table.Th>
                  <Table.Th>{t('inbound.from')}</Table.Th>
                  <Table.Th>{t('inbound.subject')}</Table.Th>
                  <Table.Th>{t('inbound.stateLabel')}</Table.Th>
                  <Table.Th>{t('inbound.why')}</Table.Th>
                  <Table.Th ta="right">{t('inbound.attempts')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {inbound.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={7}>
                      <Text c="dimmed" ta="center" py="lg">
                        {t(`inbound.empty.${filter}`)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {inbound.data.items.map((email) => (
                  <InboundRow key={email.id} email={email} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </AdminPage>
  );
}

function InboundRow({ email }: { email: InboundEmail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => inboundApi.retry(email.id),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('inbound.retryQueued') });
      await queryClient.invalidateQueries({ queryKey: inboundKeys.all });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  const canRetry = email.state === 'failed' || email.state === 'received';
  return (
    <Table.Tr data-inbound={email.id}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{formatDateTime(email.receivedAt)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{email.from ?? email.envelopeFrom ?? t('app.emptyValue')}</Text>
      </Table.Td>
      <Table.Td>
        {email.ticketId ? (
          <Anchor component={Link} to={`/tickets/${email.ticketId}`} size="sm" fw={500}>
            {email.subject || t('inbound.noSubject')}
          </Anchor>
        ) : (
          <Text size="sm" fw={500}>
            {email.subject || t('inbound.noSubject')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge color={STATE_COLORS[email.state]} variant="light" radius="sm" miw="max-content">
          {t(`inbound.state.${email.state}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Why email={email} />
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm">{email.attempts}</Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Stack gap={4} align="flex-end">
          {canRetry && (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconReload size={14} />}
              loading={retry.isPending}
              onClick={() => retry.mutate()}
              style={{ flexShrink: 0 }}
            >
              {t('inbound.retry')}
            </Button>
          )}
          <Anchor href={inboundApi.rawUrl(email.id)} size="xs" download>
            {t('inbound.download')}
          </Anchor>
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

function Why({ email }: { email: InboundEmail }) {
  const { t } = useTranslation();
  if (email.state === 'ignored' && email.reason)
    return <Text size="sm">{localizeServerMessage(email.reason, t)}</Text>;
  if (email.state === 'failed' || (email.state === 'received' && email.lastError)) {
    return (
      <>
        {email.lastError && (
          <Tooltip label={email.lastError} multiline maw={420}>
            <Text size="xs" c="red.7" lineClamp={2}>
              {email.lastError}
            </Text>
          </Tooltip>
        )}
        <Text size="xs" c="dimmed">
          {email.retryAt
            ? t('inbound.nextAttempt', { date: formatDateTime(email.retryAt) })
            : t('inbound.noRetry')}
        </Text>
      </>
    );
  }
  return (
    <Text size="sm" c="dimmed">
      {t('app.emptyValue')}
    </Text>
  );
}
