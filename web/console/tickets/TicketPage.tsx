// One ticket: subject and status, the conversation, the reply box, the side panel (status,
// assignee, team), and at the bottom the requester's initials, which open the customer widget.
import { Anchor, Box, Grid, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { TicketWithMessages } from '../../../common/ticket.ts';
import { ticketKeys, ticketsApi } from '../../api/tickets.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { isMissingObject, NotFound } from '../NotFoundPage.tsx';
import { formatDateTime } from '../../i18n/index.ts';
import { useCan } from '../session.tsx';
import { Conversation } from './Conversation.tsx';
import { CustomerWidget, useRequester } from './CustomerWidget.tsx';
import { deliveryPending } from './DeliveryState.tsx';
import { REQUESTER_BAR_ROOM } from './ticket-layout.ts';
import { ReplyBox } from './ReplyBox.tsx';
import { TicketProperties } from './TicketProperties.tsx';
import { TicketTime } from './TicketTime.tsx';
import { TicketStatusBadge } from './ticket-ui.tsx';
import { useNameFormat } from '../../components/PhoneNumber.tsx';

function BackLink() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/tickets" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} />
        {t('tickets.back')}
      </Group>
    </Anchor>
  );
}

export function TicketPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const ticket = useQuery({
    queryKey: ticketKeys.one(id),
    queryFn: () => ticketsApi.get(id),
    // While a reply's email waits in the queue its state changes by itself within seconds: poll
    // fast until it has settled (sent, failed), then at the usual pace.
    refetchInterval: (query) =>
      query.state.data?.messages.some((m) => deliveryPending(m.delivery)) ? 3_000 : 30_000,
  });

  if (ticket.isError) {
    if (isMissingObject(ticket.error)) {
      return (
        <NotFound
          title={t('notFound.ticketTitle')}
          message={t('notFound.ticketMessage')}
          backTo="/tickets"
          back={t('notFound.ticketBack')}
        />
      );
    }
    return (
      <Stack maw={1400}>
        <BackLink />
        <ErrorAlert error={ticket.error} />
      </Stack>
    );
  }

  if (!ticket.data) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  return <TicketDetails ticket={ticket.data} />;
}

function TicketDetails({ ticket }: { ticket: TicketWithMessages }) {
  const { t } = useTranslation();
  const formatName = useNameFormat();
  const canManage = useCan('tickets.manage');
  const requester = useRequester(ticket.requesterId);
  useEffect(() => {
    const root = document.documentElement;
    root.style.scrollPaddingBottom = REQUESTER_BAR_ROOM;
    return () => {
      root.style.scrollPaddingBottom = '';
    };
  }, []);

  return (
    // At least a screen tall, so the requester bar sits at the bottom of the screen even when the
    // conversation is short.
    <Stack
      gap="lg"
      maw={1400}
      style={{
        minHeight:
          'calc(100dvh - var(--app-shell-header-offset, 60px) - var(--mantine-spacing-lg))',
      }}
    >
      <BackLink />
      <Stack gap={4}>
        <Group gap="sm" wrap="nowrap" align="center">
          <Text c="dimmed" fw={600} size="xl" ff="monospace" style={{ flexShrink: 0 }}>
            #{ticket.number}
          </Text>
          <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
            {ticket.subject}
          </Title>
          <TicketStatusBadge status={ticket.status} />
        </Group>
        <Text c="dimmed" size="sm">
          {t('tickets.openedBy', {
            name: formatName(ticket.requesterName),
            date: formatDateTime(ticket.createdAt),
          })}{' '}
          · {t('tickets.messages', { count: ticket.messageCount })}
        </Text>
      </Stack>

      <Grid gap="lg" align="flex-start">
        <Grid.Col span={{ base: 12, md: 8, xl: 9 }}>
          <Stack gap="lg">
            <Conversation messages={ticket.messages} />
            {canManage && (
              <ReplyBox
                ticket={ticket}
                requesterEmail={requester.data ? requester.data.email : undefined}
              />
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4, xl: 3 }}>
          <Stack gap="lg">
            <TicketProperties ticket={ticket} />
            <TicketTime ticket={ticket} />
          </Stack>
        </Grid.Col>
      </Grid>

      {/* The requester stays in reach at the bottom of the screen while the agent scrolls. */}
      <Box
        component="footer"
        aria-label={t('tickets.widget.requester')}
        style={{
          position: 'sticky',
          bottom: 0,
          marginTop: 'auto',
          zIndex: 5,
          // Edge to edge across the page: undo AppShell.Main's padding.
          marginInline: 'calc(var(--mantine-spacing-lg) * -1)',
          marginBottom: 'calc(var(--mantine-spacing-lg) * -1)',
        }}
      >
        <Paper
          px="lg"
          py="sm"
          radius={0}
          style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
          shadow="sm"
        >
          <CustomerWidget ticket={ticket} />
        </Paper>
      </Box>
    </Stack>
  );
}
