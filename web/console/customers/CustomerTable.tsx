// The customer list itself (issue 16): sortable headers, the columns the agent chose, checkboxes
// for selecting rows (kept across pages), rows that can be dragged onto an organization, each
// row's actions in a menu, and the footer with the range, page size and paging. The page and
// its position come from CustomersPage (list-state.ts keeps them in the URL).
import { Checkbox, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconGripVertical } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerSort } from '../../../common/customer-list.ts';
import { type Customer } from '../../../common/customer.ts';
import { fieldLabel, useCustomFields } from '../../api/account-data.ts';
import { exportKeys, exportsApi } from '../../api/exports.ts';
import { ListFooter, SortableTh, type ColumnChoice } from '../../components/DataList.tsx';
import type { ListState } from '../../components/list-state.ts';
import { isPreparing, PREPARING_POLL_MS } from '../exports/ExportButton.tsx';
import { useCan } from '../session.tsx';
import { CustomerRow, type CustomerColumn } from './CustomerRow.tsx';
import { startCustomerDrag } from './customer-drag.ts';
import { useCustomerDisplayName } from '../../components/PhoneNumber.tsx';

export type Selection = Map<string, Customer>;

export interface CustomerPageData {
  items: Customer[];
  total: number;
  totalCapped?: boolean;
  nextCursor?: string;
  previousCursor?: string;
  /** The 1-based position of the first row. */
  offset: number;
}

interface Props {
  data: CustomerPageData;
  loading: boolean;
  list: ListState<CustomerSort>;
  /** Off while searching: search results come newest first. */
  sortable: boolean;
  columns: ColumnChoice<CustomerColumn>;
  canEdit: boolean;
  emptyText: string;
  selection: Selection;
  /** Every customer matching the filter is selected, not only these. */
  allMatching: boolean;
  onSelectionChange: (selection: Selection) => void;
  onStatus: (customer: Customer, status: Customer['status']) => void;
  onDragStart: (customers: Customer[]) => void;
  onDragEnd: () => void;
  /** Type names by id, when the account uses customer types. */
  typeNames: Map<string, string> | null;
}

export function CustomerTable(props: Props) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const { selection, onSelectionChange, canEdit, typeNames, list, data, columns } = props;
  // Each row's export item shows that customer's newest archive: one call for the page.
  const canExport = useCan('customers.export');
  const pageIds = data.items.map((customer) => customer.id);
  const exports = useQuery({
    queryKey: exportKeys.latest(pageIds),
    queryFn: () => exportsApi.latest(pageIds),
    enabled: canExport && pageIds.length > 0,
    refetchInterval: (q) => (isPreparing(q.state.data?.items) ? PREPARING_POLL_MS : false),
  });
  const latestExport = new Map((exports.data?.items ?? []).map((e) => [e.customerId, e]));
  const fields = useCustomFields('customer');
  const fieldLabels = new Map((fields.data ?? []).map((field) => [field.key, fieldLabel(field)]));

  const { items } = data;
  const selectedHere = props.allMatching
    ? items.length
    : items.filter((customer) => selection.has(customer.id)).length;
  const shown = (column: CustomerColumn) =>
    column === 'type' ? typeNames !== null && columns.visible('type') : columns.visible(column);
  const optional: CustomerColumn[] = [
    'number',
    'email',
    'phone',
    'organization',
    'type',
    'attributes',
    'created',
    'lastActivity',
  ];
  const count = 2 + (canEdit ? 1 : 0) + optional.filter(shown).length;

  function toggle(customer: Customer, checked: boolean) {
    const next = new Map(selection);
    if (checked) next.set(customer.id, customer);
    else next.delete(customer.id);
    onSelectionChange(next);
  }

  function togglePage(checked: boolean) {
    const next = new Map(props.allMatching ? [] : selection);
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
        ? displayName(customer) || t('customers.noName')
        : t('move.dragCount', { count: customers.length });
    startCustomerDrag(
      event,
      customers.map((c) => c.id),
      label,
    );
    props.onDragStart(customers);
  }

  const nowrap = { whiteSpace: 'nowrap' } as const;
  return (
    <>
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        {/* Fixed layout: the columns share the frame's width and long text ends in an ellipsis,
            so the table never runs wider than the window (issue 16). */}
        <Table
          layout="fixed"
          highlightOnHover
          verticalSpacing="sm"
          horizontalSpacing="sm"
          data-testid="customer-table"
        >
          <Table.Thead bg="gray.0">
            <Table.Tr>
              {canEdit && (
                <Table.Th w={44}>
                  <Checkbox
                    aria-label={t('select.page')}
                    checked={items.length > 0 && selectedHere === items.length}
                    indeterminate={selectedHere > 0 && selectedHere < items.length}
                    onChange={(event) => togglePage(event.currentTarget.checked)}
                    disabled={items.length === 0}
                  />
                </Table.Th>
              )}
              {shown('number') && (
                <SortableTh disabled={!props.sortable} column="number" list={list} w={72}>
                  {t('customers.number')}
                </SortableTh>
              )}
              <SortableTh disabled={!props.sortable} column="name" list={list}>
                {t('customers.name')}
              </SortableTh>
              {shown('email') && (
                <SortableTh disabled={!props.sortable} column="email" list={list}>
                  {t('customers.email')}
                </SortableTh>
              )}
              {shown('phone') && (
                <Table.Th w={132} style={nowrap}>
                  {t('customers.phone')}
                </Table.Th>
              )}
              {shown('organization') && (
                <SortableTh disabled={!props.sortable} column="organization" list={list}>
                  {t('customers.organization')}
                </SortableTh>
              )}
              {shown('type') && (
                <Table.Th w={110} style={nowrap}>
                  {t('customers.type')}
                </Table.Th>
              )}
              {shown('attributes') && (
                <Table.Th w={150} style={nowrap}>
                  {t('customers.attributesShort')}
                </Table.Th>
              )}
              {shown('created') && (
                <SortableTh disabled={!props.sortable} column="created" list={list} w={150}>
                  {t('customers.created')}
                </SortableTh>
              )}
              {shown('lastActivity') && (
                <SortableTh disabled={!props.sortable} column="lastActivity" list={list} w={150}>
                  {t('customers.lastActivity')}
                </SortableTh>
              )}
              <Table.Th w={52}>
                <VisuallyHidden>{t('customers.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody style={{ opacity: props.loading ? 0.6 : 1 }}>
            {items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={count}>
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
                selected={props.allMatching || selection.has(customer.id)}
                onSelect={(checked) => toggle(customer, checked)}
                shown={shown}
                fieldLabels={fieldLabels}
                typeName={customer.typeId ? (typeNames?.get(customer.typeId) ?? '') : ''}
                canExport={canExport}
                latestExport={latestExport.get(customer.id)}
                onStatus={(next) => props.onStatus(customer, next)}
                onDragStart={(event) => dragStart(customer, event)}
                onDragEnd={props.onDragEnd}
                dragHandle={canEdit ? <IconGripVertical size={14} /> : null}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <ListFooter
        list={list}
        shown={items.length}
        total={data.total}
        totalCapped={data.totalCapped}
        nextCursor={data.nextCursor}
        previousCursor={data.previousCursor}
        loading={props.loading}
        offset={data.offset}
      />
    </>
  );
}
