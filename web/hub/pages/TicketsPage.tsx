// /hub/:slug/tickets: My tickets, and Organization tickets when the customer was granted any (a
// picker when more than one). Search by subject, a status filter and "Load more" pages, kept in
// the address so Back returns to the same list. A table on a wide screen, cards on a phone.
import {
  Button,
  Card,
  Group,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { HUB_TICKET_STATUSES, hubTicketStatusSchema, type HubTicket } from '../../../common/hub.ts';
import { formatNameOrPhone } from '../../../common/phone-format.ts';
import { hubApi, hubKeys, type HubTicketListParams } from '../api.ts';
import { HubErrorAlert } from '../components/HubError.tsx';
import { usePhone } from '../components/HubLayout.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { formatDateTime, useHubT } from '../i18n/index.ts';
import { useMe, useSite } from '../session.tsx';

export function TicketsPage() {
  const { t } = useHubT();
  const site = useSite();
  const me = useMe();
  const phone = usePhone();
  const [params, setParams] = useSearchParams();
  const granted = me.organizations;
  const view =
    params.get('view') === 'organization' && granted.length > 0 ? 'organization' : 'mine';
  const status = hubTicketStatusSchema.safeParse(params.get('status')).data;
  const organizationId = granted.some((o) => o.id === params.get('organization'))
    ? (params.get('organization') ?? undefined)
    : undefined;
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);

  function change(next: Record<string, string | undefined>) {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value) merged.set(key, value);
      else merged.delete(key);
    }
    setParams(merged, { replace: true });
  }
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) change({ q: q || undefined });
    // Only the debounced search writes the address; `change` reads the current one.
  }, [q]);

  const listParams: HubTicketListParams = { view, organizationId, status, q: q || undefined };
  const list = useInfiniteQuery({
    queryKey: hubKeys.list(listParams),
    queryFn: ({ pageParam }) => hubApi.tickets(listParams, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor,
  });
  const tickets = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const filtered = Boolean(status ?? q);

  return (
    <Stack>
      <Group justify="space-between" wrap="nowrap">
        <Title order={1} size="h2">
          {t('tickets.title')}
        </Title>
        <Button
          component={Link}
          to={`/${site.slug}/tickets/new`}
          leftSection={<IconPlus size={16} />}
        >
          {t('tickets.new')}
        </Button>
      </Group>
      {granted.length > 0 && (
        <Tabs
          value={view}
          onChange={(value) =>
            change({ view: value === 'organization' ? 'organization' : undefined })
          }
        >
          <Tabs.List>
            <Tabs.Tab value="mine">{t('tickets.mine')}</Tabs.Tab>
            <Tabs.Tab value="organization">{t('tickets.organization')}</Tabs.Tab>
          </Tabs.List>
        </Tabs>
      )}
      <Group align="flex-end" gap="sm" grow={phone} wrap={phone ? 'wrap' : 'nowrap'}>
        <TextInput
          label={t('tickets.search')}
          placeholder={t('tickets.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          type="search"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          style={{ flex: 2, minWidth: 0 }}
        />
        <Select
          label={t('tickets.status')}
          value={status ?? ''}
          data={[
            { value: '', label: t('tickets.allStatuses') },
            ...HUB_TICKET_STATUSES.map((value) => ({ value, label: t(`status.${value}`) })),
          ]}
          allowDeselect={false}
          onChange={(value) => change({ status: value ?? undefined })}
          style={{ flex: 1, minWidth: 0 }}
        />
        {view === 'organization' && granted.length > 1 && (
          <Select
            label={t('tickets.organizationPicker')}
            value={organizationId ?? ''}
            data={[
              { value: '', label: t('tickets.allOrganizations') },
              ...granted.map((o) => ({ value: o.id, label: o.name })),
            ]}
            allowDeselect={false}
            onChange={(value) => change({ organization: value ?? undefined })}
            style={{ flex: 1, minWidth: 0 }}
          />
        )}
      </Group>
      {list.isError && <HubErrorAlert error={list.error} />}
      {list.isSuccess && tickets.length === 0 && (
        <Text c="dimmed">{filtered ? t('tickets.emptyFiltered') : t('tickets.empty')}</Text>
      )}
      {tickets.length > 0 &&
        (phone ? (
          <TicketCards tickets={tickets} showRequester={view === 'organization'} />
        ) : (
          <TicketTable tickets={tickets} showRequester={view === 'organization'} />
        ))}
      {tickets.length > 0 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('tickets.shown', { shown: tickets.length, total })}
          </Text>
          {list.hasNextPage && (
            <Button
              variant="default"
              loading={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
            >
              {t('tickets.loadMore')}
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}

function useOpenTicket() {
  const site = useSite();
  const navigate = useNavigate();
  return (ticket: HubTicket) => void navigate(`/${site.slug}/tickets/${ticket.id}`);
}

function TicketTable({ tickets, showRequester }: { tickets: HubTicket[]; showRequester: boolean }) {
  const { t } = useHubT();
  const site = useSite();
  const open = useOpenTicket();
  return (
    <Table highlightOnHover withTableBorder bg="white" verticalSpacing="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('tickets.subject')}</Table.Th>
          <Table.Th>{t('tickets.number')}</Table.Th>
          {showRequester && <Table.Th>{t('tickets.requester')}</Table.Th>}
          <Table.Th>{t('tickets.status')}</Table.Th>
          <Table.Th>{t('tickets.lastActivity')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {tickets.map((ticket) => (
          <Table.Tr key={ticket.id} style={{ cursor: 'pointer' }} onClick={() => open(ticket)}>
            <Table.Td>
              <Text component={Link} to={`/${site.slug}/tickets/${ticket.id}`} fw={500} size="sm">
                {ticket.subject}
              </Text>
            </Table.Td>
            <Table.Td>#{ticket.number}</Table.Td>
            {showRequester && (
              <Table.Td>{formatNameOrPhone(ticket.requesterName, site.phoneCountry)}</Table.Td>
            )}
            <Table.Td>
              <StatusBadge status={ticket.status} />
            </Table.Td>
            <Table.Td>
              <Text size="sm" component="time" dateTime={ticket.lastMessageAt}>
                {formatDateTime(ticket.lastMessageAt)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function TicketCards({ tickets, showRequester }: { tickets: HubTicket[]; showRequester: boolean }) {
  const { t } = useHubT();
  const site = useSite();
  return (
    <Stack gap="xs" role="list" aria-label={t('tickets.title')}>
      {tickets.map((ticket) => (
        <UnstyledButton
          key={ticket.id}
          component={Link}
          to={`/${site.slug}/tickets/${ticket.id}`}
          role="listitem"
        >
          <Card withBorder padding="sm">
            <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
              <Text fw={500} size="sm" style={{ overflowWrap: 'anywhere', minWidth: 0 }}>
                {ticket.subject}
              </Text>
              <StatusBadge status={ticket.status} />
            </Group>
            <Text size="xs" c="dimmed" mt={4}>
              #{ticket.number}
              {showRequester
                ? ` · ${formatNameOrPhone(ticket.requesterName, site.phoneCountry)}`
                : ''}{' '}
              · <time dateTime={ticket.lastMessageAt}>{formatDateTime(ticket.lastMessageAt)}</time>
            </Text>
          </Card>
        </UnstyledButton>
      ))}
    </Stack>
  );
}
