// Customers → Active / Deactivated: search (kept in the URL as ?q=), the count, cursor paging,
// New Customer, and per-row Open / Deactivate / Reactivate.
import {
  Anchor,
  Button,
  CloseButton,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedCallback, useDisclosure } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { customerDisplayName, type Customer, type CustomerStatus } from '../../common/customer.ts';
import { customersApi, keys } from '../api/kunde.ts';
import { CustomAttributeBadges } from '../components/CustomAttributeBadges.tsx';
import { CustomerFormModal } from '../components/CustomerFormModal.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatNumber } from '../i18n/index.ts';
import { useCan } from './session.tsx';
import { useSetCustomerStatus } from './useCustomerStatus.ts';

const PAGE_SIZE = 25;

export function CustomersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status: CustomerStatus = params.get('status') === 'deactivated' ? 'deactivated' : 'active';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const canEdit = useCan('customers.create_edit');

  const pushSearch = useDebouncedCallback((value: string) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value.trim()) next.set('q', value.trim());
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, 250);

  // The URL changed from outside the box (navigation, back button): show what it says.
  useEffect(() => {
    setSearch((current) => (current.trim() === q ? current : q));
  }, [q]);

  function changeSearch(value: string) {
    setSearch(value);
    pushSearch(value);
  }

  return (
    <Stack gap="md" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {status === 'active' ? t('customers.titleActive') : t('customers.titleDeactivated')}
        </Title>
        {canEdit && (
          <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
            {t('customers.new')}
          </Button>
        )}
      </Group>
      <TextInput
        aria-label={t('customers.search')}
        placeholder={t('customers.searchPlaceholder')}
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(event) => changeSearch(event.currentTarget.value)}
        rightSection={
          search ? (
            <CloseButton
              size="sm"
              aria-label={t('customers.clearSearch')}
              onClick={() => changeSearch('')}
            />
          ) : null
        }
        type="search"
        maw={480}
      />
      <CustomerTable key={`${status}|${q}`} status={status} q={q} canEdit={canEdit} />
      <CustomerFormModal opened={creating} onClose={closeCreate} />
    </Stack>
  );
}

function CustomerTable({
  status,
  q,
  canEdit,
}: {
  status: CustomerStatus;
  q: string;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  // The cursors of the pages seen so far; the last is the current page's, so Previous pops it.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const turnPage = (next: (string | undefined)[]) => {
    setCursors(next);
    window.scrollTo({ top: 0 });
  };
  const list = useQuery({
    queryKey: keys.customerList({ status, q, cursor, limit: PAGE_SIZE }),
    queryFn: () => customersApi.list({ status, q, cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const setStatus = useSetCustomerStatus();

  if (list.isError) return <ErrorAlert error={list.error} />;
  if (!list.data) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  const { items, total, nextCursor } = list.data;
  const emptyText = q
    ? t('customers.emptySearch', { q })
    : status === 'active'
      ? t('customers.emptyActive')
      : t('customers.emptyDeactivated');

  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed" aria-live="polite">
        {t('customers.count', { count: total, formatted: formatNumber(total) })}
      </Text>
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        <Table.ScrollContainer minWidth={820}>
          <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th>{t('customers.name')}</Table.Th>
                <Table.Th>{t('customers.email')}</Table.Th>
                <Table.Th>{t('customers.phone')}</Table.Th>
                <Table.Th>{t('customers.customAttributes')}</Table.Th>
                <Table.Th w={1}>{t('customers.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
              {items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="lg">
                      {emptyText}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((customer) => (
                <CustomerRow
                  key={customer.id}
                  customer={customer}
                  canEdit={canEdit}
                  busy={setStatus.isPending && setStatus.variables.customer.id === customer.id}
                  onStatus={(next) => setStatus.mutate({ customer, status: next })}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {(cursors.length > 1 || nextCursor) && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('customers.page', { page: cursors.length })}
          </Text>
          <Group gap="xs">
            <Button
              variant="default"
              disabled={cursors.length <= 1}
              onClick={() => turnPage(cursors.slice(0, -1))}
            >
              {t('customers.previous')}
            </Button>
            <Button
              variant="default"
              disabled={!nextCursor || list.isPlaceholderData}
              onClick={() => nextCursor && turnPage([...cursors, nextCursor])}
            >
              {t('customers.next')}
            </Button>
          </Group>
        </Group>
      )}
    </Stack>
  );
}

function CustomerRow(props: {
  customer: Customer;
  canEdit: boolean;
  busy: boolean;
  onStatus: (status: CustomerStatus) => void;
}) {
  const { t } = useTranslation();
  const { customer } = props;
  const name = customerDisplayName({ ...customer, email: null, phone: null });
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/customers/${customer.id}`} fw={500} size="sm">
          {name || t('customers.noName')}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{customer.email ?? t('app.emptyValue')}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {customer.phone ?? t('app.emptyValue')}
        </Text>
      </Table.Td>
      <Table.Td>
        <CustomAttributeBadges attributes={customer.customAttributes} />
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Button component={Link} to={`/customers/${customer.id}`} size="xs" variant="default">
            {t('customers.open')}
          </Button>
          {props.canEdit &&
            (customer.status === 'active' ? (
              <Button
                size="xs"
                variant="light"
                color="red"
                loading={props.busy}
                onClick={() => props.onStatus('deactivated')}
              >
                {t('customers.deactivate')}
              </Button>
            ) : (
              <Button
                size="xs"
                variant="light"
                color="green"
                loading={props.busy}
                onClick={() => props.onStatus('active')}
              >
                {t('customers.reactivate')}
              </Button>
            ))}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
