// The requester at the bottom of a ticket: a round button with the customer's initials that opens
// a card with their name (a link to the customer page), email, phone, organization, how many
// tickets they have with the latest few, and their custom attributes.
import {
  Anchor,
  Avatar,
  Badge,
  Box,
  Button,
  DataList,
  Divider,
  Group,
  Loader,
  Popover,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Customer } from '../../../common/customer.ts';
import type { Ticket } from '../../../common/ticket.ts';
import { fieldLabel, useCustomFields } from '../../api/account-data.ts';
import { customersApi, keys } from '../../api/kunde.ts';
import { ticketKeys, ticketsApi } from '../../api/tickets.ts';
import { CustomAttributeBadges } from '../../components/CustomAttributeBadges.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import {
  PhoneNumber,
  usePhoneFormat,
  useCustomerDisplayName,
  useNameFormat,
} from '../../components/PhoneNumber.tsx';
import { formatNumber } from '../../i18n/index.ts';
import { initialsOf, TicketStatusBadge } from './ticket-ui.tsx';

const RECENT = 5;

export function useRequester(customerId: string) {
  return useQuery({
    queryKey: keys.customer(customerId),
    queryFn: () => customersApi.get(customerId),
  });
}

export function CustomerWidget({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const customer = useRequester(ticket.requesterId);
  const formatPhone = usePhoneFormat();
  const formatName = useNameFormat();
  const name = customer.data ? displayName(customer.data) : formatName(ticket.requesterName);
  const initials = customer.data
    ? initialsOf(customer.data)
    : initialsOf({ name: ticket.requesterName });
  const contact = customer.data
    ? [customer.data.email, customer.data.phone && formatPhone(customer.data.phone)]
        .filter(Boolean)
        .join(' · ')
    : '';

  return (
    <Popover position="top-start" width={380} shadow="lg" withArrow arrowOffset={22} offset={10}>
      <Popover.Target>
        <UnstyledButton
          aria-label={t('tickets.widget.open', {
            shown: [initials, name, contact || t('tickets.widget.requester')].join(' '),
          })}
          data-testid="customer-initials"
          style={{ borderRadius: 999 }}
        >
          <Group gap="sm" wrap="nowrap">
            {/* The label starts with everything shown here, in this order (what a speech-input
                user says to press it), so the shown parts are hidden from screen readers. */}
            <Avatar size={44} radius="xl" color="blue" variant="filled" fw={700} aria-hidden>
              {initials}
            </Avatar>
            {/* Spaces between the parts, or axe-core reads the shown text run together. */}{' '}
            <Box visibleFrom="sm" style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} truncate>
                {name}
              </Text>{' '}
              <Text size="xs" c="dimmed" truncate aria-hidden>
                {contact || t('tickets.widget.requester')}
              </Text>
            </Box>
          </Group>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown p="md" aria-label={t('tickets.widget.title', { name })} role="dialog">
        {customer.isError ? (
          <ErrorAlert error={customer.error} />
        ) : !customer.data ? (
          <Group justify="center" p="md">
            <Loader size="sm" aria-label={t('app.loading')} />
          </Group>
        ) : (
          <WidgetCard customer={customer.data} initials={initials} currentTicketId={ticket.id} />
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

function WidgetCard({
  customer,
  initials,
  currentTicketId,
}: {
  customer: Customer;
  initials: string;
  currentTicketId: string;
}) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const fields = useCustomFields('customer');
  const tickets = useQuery({
    queryKey: ticketKeys.ofCustomer(customer.id, RECENT),
    queryFn: () => ticketsApi.ofCustomer(customer.id, RECENT),
  });
  const labels = new Map((fields.data ?? []).map((field) => [field.key, fieldLabel(field)]));
  const name = displayName(customer);
  const empty = t('app.emptyValue');

  return (
    <Stack gap="sm">
      <Group gap="sm" wrap="nowrap">
        <Avatar size={48} radius="xl" color="blue" variant="light" fw={700}>
          {initials}
        </Avatar>
        <Box style={{ minWidth: 0 }}>
          <Anchor component={Link} to={`/customers/${customer.id}`} fw={700} size="lg" truncate>
            {name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {t('customer.number')} {customer.number}
          </Text>
        </Box>
      </Group>
      <DataList labelWidth={110}>
        <DataList.Item>
          <DataList.ItemLabel>{t('customers.email')}</DataList.ItemLabel>
          <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>
            {customer.email ? (
              <Anchor href={`mailto:${customer.email}`} size="sm">
                {customer.email}
              </Anchor>
            ) : (
              empty
            )}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('form.phone')}</DataList.ItemLabel>
          <DataList.ItemValue>
            {customer.phone ? <PhoneNumber value={customer.phone} /> : empty}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('customer.organization')}</DataList.ItemLabel>
          <DataList.ItemValue>
            {customer.organizationId ? (
              <Anchor component={Link} to={`/organizations/${customer.organizationId}`} size="sm">
                {customer.organizationName ?? customer.organizationId}
              </Anchor>
            ) : (
              t('organizations.none')
            )}
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
      <Divider />
      <Box>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={6}>
          {tickets.data
            ? t('tickets.widget.ticketCount', {
                count: tickets.data.total,
                formatted: formatNumber(tickets.data.total),
              })
            : t('tickets.widget.tickets')}
        </Text>
        {tickets.isError && <ErrorAlert error={tickets.error} />}
        {tickets.isPending && <Loader size="xs" aria-label={t('app.loading')} />}
        <Stack gap={4} role="list" aria-label={t('tickets.widget.recent')}>
          {tickets.data?.items.map((ticket) => (
            <Group key={ticket.id} gap="xs" wrap="nowrap" justify="space-between" role="listitem">
              <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                <Text size="xs" c="dimmed" ff="monospace">
                  #{ticket.number}
                </Text>
                {ticket.id === currentTicketId ? (
                  <Text size="sm" truncate fw={500}>
                    {ticket.subject}{' '}
                    <Text span size="xs" c="dimmed">
                      ({t('tickets.widget.thisTicket')})
                    </Text>
                  </Text>
                ) : (
                  <Anchor component={Link} to={`/tickets/${ticket.id}`} size="sm" truncate>
                    {ticket.subject}
                  </Anchor>
                )}
              </Group>
              <TicketStatusBadge status={ticket.status} />
            </Group>
          ))}
        </Stack>
      </Box>
      <Divider />
      <Box>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={6}>
          {t('customers.customAttributes')}
        </Text>
        <CustomAttributeBadges
          attributes={customer.customAttributes}
          labels={labels}
          emptyText={t('customer.noAttributes')}
        />
      </Box>
      <Button
        component={Link}
        to={`/customers/${customer.id}`}
        variant="light"
        rightSection={<IconArrowRight size={16} />}
        fullWidth
      >
        {t('tickets.widget.openCustomer')}
      </Button>
      {customer.status === 'deactivated' && (
        <Badge color="gray" variant="light">
          {t('status.deactivated')}
        </Badge>
      )}
    </Stack>
  );
}
