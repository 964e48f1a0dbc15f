// The "Tickets" section of a customer's page: their tickets, newest first, with paging.
import { Anchor, Group, Loader, Paper, Table, Text, Title, Tooltip } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer } from '../../../common/customer.ts';
import { ticketKeys, ticketsApi } from '../../api/tickets.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Pager, useCursorPages } from '../../components/paging.tsx';
import { formatDateTime, formatNumber } from '../../i18n/index.ts';
import { useCan } from '../session.tsx';
import { ChannelLabel, formatRelative, TicketStatusBadge } from './ticket-ui.tsx';

const PAGE_SIZE = 10;

export function CustomerTickets({ customer }: { customer: Customer }) {
  const canView = useCan('tickets.view');
  return canView ? <CustomerTicketList customer={customer} /> : null;
}

function CustomerTicketList({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const pages = useCursorPages({ scroll: false });
  const list = useQuery({
    queryKey: [...ticketKeys.ofCustomer(customer.id, PAGE_SIZE), pages.cursor ?? ''],
    queryFn: () =>
      ticketsApi.list({
        status: 'all',
        customerId: customer.id,
        cursor: pages.cursor,
        limit: PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="customer-tickets">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4" id="customer-tickets">
          {t('tickets.customerSection')}
        </Title>
        {list.data && (
          <Text size="sm" c="dimmed">
            {t('tickets.count', {
              count: list.data.total,
              formatted: formatNumber(list.data.total),
            })}
          </Text>
        )}
      </Group>
      {list.isError && <ErrorAlert error={list.error} />}
      {list.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      {list.data && list.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('tickets.customerEmpty')}
        </Text>
      )}
      {list.data && list.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={600} type="native">
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>{t('tickets.columns.number')}</Table.Th>
                <Table.Th>{t('tickets.columns.subject')}</Table.Th>
                <Table.Th w={110}>{t('tickets.columns.status')}</Table.Th>
                <Table.Th w={110}>{t('tickets.columns.channel')}</Table.Th>
                <Table.Th w={150}>{t('tickets.columns.lastActivity')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((ticket) => (
                <Table.Tr key={ticket.id}>
                  <Table.Td>
                    <Text size="sm" c="dimmed" ff="monospace">
                      #{ticket.number}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/tickets/${ticket.id}`} size="sm" fw={500}>
                      {ticket.subject}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <TicketStatusBadge status={ticket.status} />
                  </Table.Td>
                  <Table.Td>
                    <ChannelLabel channel={ticket.channel} />
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={formatDateTime(ticket.lastMessageAt)}>
                      <Text size="sm" c="dimmed">
                        {formatRelative(ticket.lastMessageAt, t)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.data && (
        <Pager
          page={pages.page}
          nextCursor={list.data.nextCursor}
          onPrevious={pages.previous}
          onNext={pages.next}
          loading={list.isPlaceholderData}
        />
      )}
    </Paper>
  );
}
