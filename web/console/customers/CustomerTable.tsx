// The customer list itself: count, cursor paging, checkboxes for selecting rows (kept across pages),
// rows that can be dragged onto an organization, and per-row Open / Deactivate / Reactivate.
import { Checkbox, Group, Loader, Paper, Stack, Table, Text } from '@mantine/core';
import { IconGripVertical } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DragEvent } from 'react';
import { customerDisplayName, type Customer } from '../../../common/customer.ts';
import { fieldLabel, useCustomFields } from '../../api/account-data.ts';
import { customersApi, keys, type CustomerListParams } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Pager, useCursorPages } from '../../components/paging.tsx';
import { formatNumber } from '../../i18n/index.ts';
import { exportKeys, exportsApi } from '../../api/exports.ts';
import { isPreparing, PREPARING_POLL_MS } from '../exports/ExportButton.tsx';
import { useCan } from '../session.tsx';
import { useSetCustomerStatus } from '../useCustomerStatus.ts';
import { CustomerRow } from './CustomerRow.tsx';
import { startCustomerDrag } from './customer-drag.ts';

const PAGE_SIZE = 25;

export type Selection = Map<string, Customer>;

interface Props {
  params: Omit<CustomerListParams, 'cursor' | 'limit'>;
  canEdit: boolean;
  emptyText: string;
  selection: Selection;
  onSelectionChange: (selection: Selection) => void;
  onDragStart: (customers: Customer[]) => void;
  onDragEnd: () => void;
  /** Type names by id, when the account uses customer types. */
  typeNames: Map<string, string> | null;
}

export function CustomerTable(props: Props) {
  const { t } = useTranslation();
  const { selection, onSelectionChange, canEdit, typeNames } = props;
  const pages = useCursorPages();
  const params = { ...props.params, cursor: pages.cursor, limit: PAGE_SIZE };
  const list = useQuery({
    queryKey: keys.customerList(params),
    queryFn: () => customersApi.list(params),
    placeholderData: keepPreviousData,
  });
  const setStatus = useSetCustomerStatus();
  // Each row's export button shows that customer's newest archive: one call for the page.
  const canExport = useCan('customers.export');
  const pageIds = (list.data?.items ?? []).map((customer) => customer.id);
  const exports = useQuery({
    queryKey: exportKeys.latest(pageIds),
    queryFn: () => exportsApi.latest(pageIds),
    enabled: canExport && pageIds.length > 0,
    refetchInterval: (q) => (isPreparing(q.state.data?.items) ? PREPARING_POLL_MS : false),
  });
  const latestExport = new Map((exports.data?.items ?? []).map((e) => [e.customerId, e]));
  const fields = useCustomFields('customer');
  const fieldLabels = new Map((fields.data ?? []).map((field) => [field.key, fieldLabel(field)]));

  if (list.isError) return <ErrorAlert error={list.error} />;
  if (!list.data) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  const { items, total, nextCursor } = list.data;
  const selectedHere = items.filter((customer) => selection.has(customer.id)).length;
  // Attributes get a column only when someone on this page has any.
  const withAttributes = items.some((customer) => Object.keys(customer.customAttributes).length);
  const columns = 5 + (canEdit ? 1 : 0) + (typeNames ? 1 : 0) + (withAttributes ? 1 : 0);

  function toggle(customer: Customer, checked: boolean) {
    const next = new Map(selection);
    if (checked) next.set(customer.id, customer);
    else next.delete(customer.id);
    onSelectionChange(next);
  }

  function togglePage(checked: boolean) {
    const next = new Map(selection);
    for (const customer of items) {
      if (checked) next.set(customer.id, customer);
      else next.delete(customer.id);
    }
    onSelectionChange(next);
  }

  function dragStart(customer: Customer, event: DragEvent) {
    // Dragging a selected row takes the whole selection along; any other row goes alone.
    const customers = selection.has(customer.id) ? [...selection.values()] : [customer];
    const label =
      customers.length === 1
        ? customerDisplayName(customer) || t('customers.noName')
        : t('move.dragCount', { count: customers.length });
    startCustomerDrag(
      event,
      customers.map((c) => c.id),
      label,
    );
    props.onDragStart(customers);
  }

  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed" aria-live="polite">
        {/* The server may stop counting a very large match (`totalCapped`, once it sends it). */}
        {(list.data as { totalCapped?: boolean }).totalCapped
          ? t('customers.countCapped', { count: total, formatted: formatNumber(total) })
          : t('customers.count', { count: total, formatted: formatNumber(total) })}
      </Text>
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        <Table.ScrollContainer minWidth={700}>
          <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="sm">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                {canEdit && (
                  <Table.Th w={1}>
                    <Checkbox
                      aria-label={t('select.page')}
                      checked={items.length > 0 && selectedHere === items.length}
                      indeterminate={selectedHere > 0 && selectedHere < items.length}
                      onChange={(event) => togglePage(event.currentTarget.checked)}
                      disabled={items.length === 0}
                    />
                  </Table.Th>
                )}
                <Table.Th>{t('customers.name')}</Table.Th>
                <Table.Th>{t('customers.email')}</Table.Th>
                <Table.Th>{t('customers.phone')}</Table.Th>
                <Table.Th>{t('customers.organization')}</Table.Th>
                {typeNames && <Table.Th>{t('customers.type')}</Table.Th>}
                {withAttributes && <Table.Th>{t('customers.customAttributes')}</Table.Th>}
                <Table.Th w={1}>{t('customers.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
              {items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={columns}>
                    <Text c="dimmed" ta="center" py="lg">
                      {props.emptyText}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((customer) => (
                <CustomerRow
                  key={customer.id}
                  customer={customer}
                  canEdit={canEdit}
                  selected={selection.has(customer.id)}
                  onSelect={(checked) => toggle(customer, checked)}
                  withAttributes={withAttributes}
                  fieldLabels={fieldLabels}
                  typeName={
                    typeNames
                      ? customer.typeId
                        ? (typeNames.get(customer.typeId) ?? '')
                        : ''
                      : null
                  }
                  canExport={canExport}
                  latestExport={latestExport.get(customer.id)}
                  busy={setStatus.isPending && setStatus.variables.customer.id === customer.id}
                  onStatus={(next) => setStatus.mutate({ customer, status: next })}
                  onDragStart={(event) => dragStart(customer, event)}
                  onDragEnd={props.onDragEnd}
                  dragHandle={canEdit ? <IconGripVertical size={14} /> : null}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Pager
        page={pages.page}
        nextCursor={nextCursor}
        onPrevious={pages.previous}
        onNext={pages.next}
        loading={list.isPlaceholderData}
      />
    </Stack>
  );
}
