// Tickets → Unresolved / All: status tabs and "assigned to me" (both in the URL), the list with
// cursor paging, and New ticket.
import {
  Anchor,
  Button,
  Chip,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { Ticket } from '../../../common/ticket.ts';
import { ticketKeys, ticketsApi, type TicketListStatus } from '../../api/tickets.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ListFooter } from '../../components/DataList.tsx';
import { POSITION_PARAMS, useListState, withFilter } from '../../components/list-state.ts';
import { formatDateTime, formatNumber } from '../../i18n/index.ts';
import { useCan, useSession } from '../session.tsx';
import { NewTicketModal } from './NewTicketModal.tsx';
import { TicketPlaceFilter, type PlaceFilter } from './TicketPlaceFilter.tsx';
import {
  ChannelLabel,
  formatRelative,
  TicketStatusBadge,
  useAgentNames,
  useTeams,
} from './ticket-ui.tsx';
import { useNameFormat } from '../../components/PhoneNumber.tsx';

/** The API lists tickets newest first only: the list state has that one sort. */
const TICKET_SORTS = ['newest'] as const;
const FILTERS = [
  'unresolved',
  'open',
  'pending',
  'error',
  'resolved',
  'closed',
  'all',
] as const satisfies TicketListStatus[];

function parseFilter(value: string | null): TicketListStatus {
  return FILTERS.find((filter) => filter === value) ?? 'unresolved';
}

export function TicketsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const status = parseFilter(params.get('status'));
  const mine = params.get('assignee') === 'me';
  const canManage = useCan('tickets.manage');
  const place: PlaceFilter = {
    organizationId: params.get('organizationId') ?? undefined,
    locationId: params.get('locationId') ?? undefined,
    areaId: params.get('areaId') ?? undefined,
  };
  function setPlace(filter: PlaceFilter) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const name of POSITION_PARAMS) next.delete(name);
        for (const name of ['organizationId', 'locationId', 'areaId'] as const) {
          const value = filter[name];
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      },
      { replace: true },
    );
  }
  const [creating, create] = useDisclosure(false);

  function setParam(name: string, value: string | null) {
    setParams((current) => withFilter(current, name, value), { replace: true });
  }

  return (
    <Stack gap="md" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {status === 'all' ? t('tickets.titleAll') : t('tickets.title')}
        </Title>
        {canManage && (
          <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
            {t('tickets.new')}
          </Button>
        )}
      </Group>
      <Group justify="space-between" align="flex-end" gap="sm">
        <Tabs value={status} onChange={(value) => setParam('status', value)}>
          <Tabs.List aria-label={t('tickets.filterLabel')}>
            {FILTERS.map((filter) => (
              <Tabs.Tab key={filter} value={filter}>
                {t(`tickets.filter.${filter}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        <Group gap="sm" align="flex-end">
          <TicketPlaceFilter value={place} onChange={setPlace} />
          <Chip checked={mine} onChange={(checked) => setParam('assignee', checked ? 'me' : null)}>
            {t('tickets.onlyMine')}
          </Chip>
        </Group>
      </Group>
      <TicketTable
        key={`${status}|${mine}|${place.organizationId}|${place.locationId}|${place.areaId}`}
        status={status}
        place={place}
        assigneeId={mine ? session.user.id : undefined}
        emptyText={mine ? t('tickets.emptyMine') : t(`tickets.empty.${status}`)}
      />
      {canManage && <NewTicketModal opened={creating} onClose={create.close} />}
    </Stack>
  );
}

function TicketTable(props: {
  status: TicketListStatus;
  assigneeId?: string;
  place: PlaceFilter;
  emptyText: string;
}) {
  const { t } = useTranslation();
  // Page size and position in the URL (issue 16), like the customer list.
  const position = useListState({
    sorts: TICKET_SORTS,
    defaultSort: 'newest',
    defaultOrder: () => 'desc',
  });
  const params = {
    status: props.status,
    assigneeId: props.assigneeId,
    ...props.place,
    cursor: position.cursor,
    limit: position.size,
  };
  const list = useQuery({
    queryKey: ticketKeys.list(params),
    queryFn: async () => ({ ...(await ticketsApi.list(params)), offset: position.offset }),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const agentName = useAgentNames();
  const teams = useTeams();
  const teamName = (id: string | null) => teams.data?.find((team) => team.id === id)?.name;

  if (list.isError) return <ErrorAlert error={list.error} />;
  if (!list.data) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  const { items, total, nextCursor } = list.data;

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('tickets.count', { count: total, formatted: formatNumber(total) })}
      </Text>
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        <Table.ScrollContainer minWidth={900} type="native">
          <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th w={70}>{t('tickets.columns.number')}</Table.Th>
                <Table.Th>{t('tickets.columns.subject')}</Table.Th>
                <Table.Th>{t('tickets.columns.requester')}</Table.Th>
                <Table.Th w={110}>{t('tickets.columns.status')}</Table.Th>
                <Table.Th>{t('tickets.columns.assignee')}</Table.Th>
                <Table.Th w={110}>{t('tickets.columns.channel')}</Table.Th>
                <Table.Th w={170}>{t('tickets.columns.lastActivity')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" ta="center" py="xl">
                      {props.emptyText}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((ticket) => (
                <TicketRow
                  key={ticket.id}
                  ticket={ticket}
                  assignee={agentName(ticket.assigneeId)}
                  team={teamName(ticket.teamId)}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <ListFooter
        list={position}
        shown={items.length}
        total={total}
        totalCapped={list.data.totalCapped}
        nextCursor={nextCursor}
        offset={list.data.offset}
        loading={list.isPlaceholderData}
      />
    </Stack>
  );
}

function TicketRow({
  ticket,
  assignee,
  team,
}: {
  ticket: Ticket;
  assignee: string | null;
  team: string | undefined;
}) {
  const { t } = useTranslation();
  const formatName = useNameFormat();
  return (
    <Table.Tr data-ticket={ticket.number}>
      <Table.Td>
        <Text size="sm" c="dimmed" ff="monospace">
          #{ticket.number}
        </Text>
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/tickets/${ticket.id}`} fw={600} size="sm" c="dark.7">
          {ticket.subject}
        </Anchor>
        {ticket.messageCount > 1 && (
          <Text span size="xs" c="dimmed" ml={6}>
            {t('tickets.messages', { count: ticket.messageCount })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/customers/${ticket.requesterId}`} size="sm" c="dark.5">
          {formatName(ticket.requesterName)}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <TicketStatusBadge status={ticket.status} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={assignee || team ? undefined : 'dimmed'}>
          {[assignee, team].filter(Boolean).join(' · ') || t('tickets.unassigned')}
        </Text>
      </Table.Td>
      <Table.Td>
        <ChannelLabel channel={ticket.channel} />
      </Table.Td>
      <Table.Td>
        <Tooltip label={formatDateTime(ticket.lastMessageAt)}>
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {formatRelative(ticket.lastMessageAt, t)}
          </Text>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}
