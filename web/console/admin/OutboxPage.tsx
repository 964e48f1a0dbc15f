// Administration → Outbox: the last 200 emails Kunde sent or means to send (agents' replies and
// notifications), with their state, why held mail is held, and who released, retried or
// discarded what (OutboxActions.tsx has the buttons). Without SMTP_URL the server holds mail
// here instead of sending it, and this page says so.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Loader,
  Paper,
  Spoiler,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  HOLD_REASONS,
  OUTBOX_STATUSES,
  type OutboxEmail,
  type OutboxStatus,
} from '../../../common/outbox.ts';
import { outboxApi, ticketKeys } from '../../api/tickets.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../i18n/index.ts';
import { AdminPage } from './AdminPage.tsx';
import { OutboxActions } from './OutboxActions.tsx';

const STATUS_COLORS: Record<OutboxStatus, string> = {
  held: 'orange',
  queued: 'blue',
  sent: 'green',
  failed: 'red',
  discarded: 'gray',
};

function OutboxStatusBadge({ status }: { status: OutboxEmail['status'] }) {
  const { t } = useTranslation();
  const known = OUTBOX_STATUSES.find((s) => s === status);
  return (
    <Badge
      color={known ? STATUS_COLORS[known] : 'gray'}
      variant="light"
      radius="sm"
      data-status={status}
      miw="max-content"
    >
      {known ? t(`outbox.status.${known}`) : status}
    </Badge>
  );
}

export function OutboxPage() {
  const { t } = useTranslation();
  const outbox = useQuery({
    queryKey: ticketKeys.outbox,
    queryFn: outboxApi.list,
    refetchInterval: 15_000,
  });
  const emails = outbox.data?.items;
  const sending = outbox.data?.sending ?? false;
  const held = emails?.some((email) => email.status === 'held') ?? false;

  return (
    <AdminPage
      title={t('outbox.title')}
      description={t('outbox.intro')}
      actions={
        <Button
          variant="default"
          leftSection={<IconRefresh size={16} />}
          onClick={() => void outbox.refetch()}
          loading={outbox.isFetching}
        >
          {t('outbox.refresh')}
        </Button>
      }
    >
      <Alert
        color={held ? 'orange' : 'blue'}
        variant="light"
        icon={<IconInfoCircle size={18} />}
        title={held ? t('outbox.heldTitle') : undefined}
      >
        {t('outbox.heldExplain')}
      </Alert>
      {outbox.isError && <ErrorAlert error={outbox.error} />}
      {outbox.isPending && <Loader aria-label={t('app.loading')} />}
      {emails && (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={960} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead bg="gray.0">
                <Table.Tr style={{ whiteSpace: 'nowrap' }}>
                  <Table.Th>{t('outbox.to')}</Table.Th>
                  <Table.Th>{t('outbox.subject')}</Table.Th>
                  <Table.Th>{t('outbox.statusLabel')}</Table.Th>
                  <Table.Th ta="right">{t('outbox.attempts')}</Table.Th>
                  <Table.Th>{t('outbox.lastError')}</Table.Th>
                  <Table.Th>{t('outbox.time')}</Table.Th>
                  <Table.Th>{t('outbox.actionsLabel')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {emails.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={7}>
                      <Text c="dimmed" ta="center" py="lg">
                        {t('outbox.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {emails.map((email) => (
                  <OutboxRow key={email.id} email={email} sending={sending} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </AdminPage>
  );
}

function OutboxRow({ email, sending }: { email: OutboxEmail; sending: boolean }) {
  const { t } = useTranslation();
  const reason = HOLD_REASONS.find((r) => r === email.holdReason);
  return (
    <Table.Tr data-outbox={email.id}>
      <Table.Td>
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {email.to}
        </Text>
      </Table.Td>
      <Table.Td>
        {email.ticketId ? (
          <Anchor component={Link} to={`/tickets/${email.ticketId}`} size="sm" fw={500}>
            {email.subject}
          </Anchor>
        ) : (
          <Text size="sm" fw={500}>
            {email.subject}
          </Text>
        )}
        <Spoiler
          maxHeight={0}
          showLabel={t('outbox.showText')}
          hideLabel={t('outbox.hideText')}
          styles={{ control: { fontSize: 'var(--mantine-font-size-xs)' } }}
        >
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }} mt={4}>
            {email.text}
          </Text>
        </Spoiler>
      </Table.Td>
      <Table.Td>
        <OutboxStatusBadge status={email.status} />
        {email.holdReason && (
          <Text size="xs" c="orange.8" mt={4} maw={220}>
            {t('outbox.heldBecause', {
              reason: reason ? t(`outbox.holdReason.${reason}`) : email.holdReason,
            })}
          </Text>
        )}
        {email.actions.map((entry) => (
          <Text key={`${entry.action}${entry.at}`} size="xs" c="dimmed" mt={4} maw={220}>
            {t(`outbox.history.${entry.action}`, {
              name: entry.userName,
              date: formatDateTime(entry.at),
            })}
          </Text>
        ))}
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm">{email.attempts}</Text>
      </Table.Td>
      <Table.Td>
        {email.lastError ? (
          <Tooltip label={email.lastError} multiline maw={420}>
            <Text size="xs" c="red.7" lineClamp={2}>
              {email.lastError}
            </Text>
          </Tooltip>
        ) : (
          <Text size="sm" c="dimmed">
            {t('app.emptyValue')}
          </Text>
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{formatDateTime(email.createdAt)}</Text>
        <Text size="xs" c="dimmed">
          {email.sentAt
            ? t('outbox.sentAt', { date: formatDateTime(email.sentAt) })
            : t('outbox.notSent')}
        </Text>
      </Table.Td>
      <Table.Td>
        <OutboxActions email={email} sending={sending} />
      </Table.Td>
    </Table.Tr>
  );
}
