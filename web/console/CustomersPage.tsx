// Customers → Active / Deactivated: search (?q=), filters by organization and type, sort, page
// size and position (all in the URL, list-state.ts), the columns the agent chose, selection of
// rows or of every customer matching, bulk move / deactivate / reactivate (confirmed, with
// Undo) and CSV export (of the filter, or of the selected customers; customers/SelectionBar.tsx),
// and drag and drop of rows onto the organizations listed beside it.
import { Box, Button, Group, Loader, Select, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CUSTOMER_SORTS, defaultOrder } from '../../common/customer-list.ts';
import type { Customer, CustomerStatus } from '../../common/customer.ts';
import { useCustomerTypes } from '../api/account-data.ts';
import { customerExportUrl, downloadSelectedCustomers } from '../api/customer-imports.ts';
import { customersApi, keys } from '../api/kunde.ts';
import { CustomerFormModal } from '../components/CustomerFormModal.tsx';
import { ColumnChooser, useColumnChoice, type ListColumn } from '../components/DataList.tsx';
import { ErrorAlert, errorMessage } from '../components/ErrorAlert.tsx';
import { useListState, withFilter } from '../components/list-state.ts';
import { OrganizationSelect } from '../components/OrganizationSelect.tsx';
import { UrlSearchBox } from '../components/paging.tsx';
import { useCustomerDisplayName } from '../components/PhoneNumber.tsx';
import { formatNumber } from '../i18n/index.ts';
import type { CustomerColumn } from './customers/CustomerRow.tsx';
import { CustomerStatusConfirm, type StatusQuestion } from './customers/CustomerStatusConfirm.tsx';
import { CustomerTable, type Selection } from './customers/CustomerTable.tsx';
import { SelectionBar } from './customers/SelectionBar.tsx';
import { MoveCustomersModal } from './customers/MoveCustomersModal.tsx';
import { OrganizationDropList } from './customers/OrganizationDropList.tsx';
import { useBulkCustomers, type BulkTarget } from './customers/useBulkCustomers.tsx';
import { useMoveCustomers, type MoveTarget } from './customers/useMoveCustomers.tsx';
import { CustomerCsvButtons } from './imports/CustomerCsvButtons.tsx';
import { useCan, useSession } from './session.tsx';

/** A status change waiting for the agent's yes: these customers, or one by name. */
interface PendingStatus extends StatusQuestion {
  target: BulkTarget;
}

export function CustomersPage() {
  const { t } = useTranslation();
  const session = useSession();
  const displayName = useCustomerDisplayName();
  const [params, setParams] = useSearchParams();
  const status: CustomerStatus = params.get('status') === 'deactivated' ? 'deactivated' : 'active';
  const q = params.get('q') ?? '';
  const organizationId = params.get('organizationId') || null;
  const typeId = params.get('typeId') || null;
  const canEdit = useCan('customers.create_edit');
  const canChangeStatus = useCan('customers.delete');
  const canExport = useCan('customers.export');
  const types = useCustomerTypes();
  const [creating, create] = useDisclosure(false);
  const [movingOpen, moveDialog] = useDisclosure(false);
  const [pendingStatus, setPendingStatus] = useState<PendingStatus | null>(null);

  const list = useListState({
    sorts: CUSTOMER_SORTS,
    defaultSort: 'number',
    defaultOrder,
    sizeKey: `kunde.pageSize.${session.user.id}.customers`,
  });
  const filter = {
    status,
    q: q || undefined,
    organizationId: organizationId ?? undefined,
    typeId: typeId ?? undefined,
  };
  // Search results come newest first: the API sorts only the unsearched list.
  const sorted = q ? { sort: undefined, order: undefined } : { sort: list.sort, order: list.order };
  const query = { ...filter, ...sorted, cursor: list.cursor, limit: list.size };
  const page = useQuery({
    queryKey: keys.customerList(query),
    // The page remembers its position, so "26–50" names the rows on screen while the next loads.
    queryFn: async () => ({ ...(await customersApi.list(query)), offset: list.offset }),
    placeholderData: keepPreviousData,
  });

  const typeNames = types.data?.length
    ? new Map(types.data.map((type) => [type.id, type.name]))
    : null;
  const columnList: ListColumn<CustomerColumn>[] = [
    { key: 'number', label: t('customers.number') },
    { key: 'email', label: t('customers.email') },
    { key: 'phone', label: t('customers.phone') },
    { key: 'organization', label: t('customers.organization') },
    ...(typeNames ? [{ key: 'type' as const, label: t('customers.type') }] : []),
    { key: 'attributes', label: t('customers.customAttributes') },
    { key: 'created', label: t('customers.created'), defaultVisible: false },
    { key: 'lastActivity', label: t('customers.lastActivity'), defaultVisible: false },
  ];
  const columns = useColumnChoice('customers', session.user.id, columnList);

  // The selection belongs to one set of filters; changing them starts afresh.
  const filterKey = [status, q, organizationId, typeId].join('|');
  const [selectionState, setSelectionState] = useState<{
    key: string;
    items: Selection;
    allMatching: boolean;
  }>({ key: filterKey, items: new Map(), allMatching: false });
  const current = selectionState.key === filterKey;
  const selection: Selection = current ? selectionState.items : new Map<string, Customer>();
  const allMatching = current && selectionState.allMatching;
  const setSelection = (items: Selection) =>
    setSelectionState({ key: filterKey, items, allMatching: false });
  const clearSelection = () => setSelection(new Map());
  const [dragged, setDragged] = useState<Customer[] | null>(null);

  const total = page.data?.total ?? 0;
  const selectedCount = allMatching ? total : selection.size;
  const bulkTarget: BulkTarget = allMatching ? { filter } : { customerIds: [...selection.keys()] };

  const bulk = useBulkCustomers(() => {
    clearSelection();
    moveDialog.close();
    setPendingStatus(null);
  });
  const move = useMoveCustomers(clearSelection);
  const exportSelected = useMutation({
    mutationFn: downloadSelectedCustomers,
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  const moveDragged = (customers: Customer[]) => (target: MoveTarget) =>
    move.mutate({ customers, target });

  function setFilter(name: 'organizationId' | 'typeId', value: string | null) {
    setParams((current) => withFilter(current, name, value), { replace: true });
  }

  function askStatus(customer: Customer, next: Customer['status']) {
    setPendingStatus({
      action: next === 'active' ? 'reactivate' : 'deactivate',
      target: { customerIds: [customer.id] },
      count: 1,
      name: displayName(customer) || t('customers.noName'),
    });
  }

  const filtered = Boolean(q || organizationId || typeId);
  const emptyText = q
    ? t('customers.emptySearch', { q })
    : filtered
      ? t('customers.emptyFiltered')
      : status === 'active'
        ? t('customers.emptyActive')
        : t('customers.emptyDeactivated');
  const pageItems = page.data?.items ?? [];
  const pageSelected =
    pageItems.length > 0 && pageItems.every((customer) => selection.has(customer.id));

  return (
    <Stack gap="md" maw={1600}>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {status === 'active' ? t('customers.titleActive') : t('customers.titleDeactivated')}
        </Title>
        <Group gap="sm">
          <CustomerCsvButtons filter={filter} />
          {canEdit && (
            <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
              {t('customers.new')}
            </Button>
          )}
        </Group>
      </Group>
      <Group gap="sm" align="flex-end" justify="space-between" wrap="nowrap">
        <Group gap="sm" align="flex-end" style={{ flex: 1, minWidth: 0 }}>
          <UrlSearchBox
            label={t('customers.search')}
            placeholder={t('customers.searchPlaceholder')}
          />
          <OrganizationSelect
            aria-label={t('customers.filterOrganization')}
            placeholder={t('customers.allOrganizations')}
            value={organizationId}
            onChange={(value) => setFilter('organizationId', value)}
            withNone
            clearable
            w={220}
          />
          {typeNames && (
            <Select
              aria-label={t('customers.filterType')}
              placeholder={t('customers.allTypes')}
              data={(types.data ?? []).map((type) => ({ value: type.id, label: type.name }))}
              value={typeId}
              onChange={(value) => setFilter('typeId', value)}
              clearable
              w={180}
            />
          )}
        </Group>
        <ColumnChooser choice={columns} />
      </Group>
      {canEdit && selectedCount > 0 && (
        <SelectionBar
          count={selectedCount}
          offerAll={(pageSelected || allMatching) && page.data !== undefined}
          pageCount={pageItems.length}
          total={total}
          totalCapped={page.data?.totalCapped}
          allMatching={allMatching}
          onSelectAll={() =>
            setSelectionState({ key: filterKey, items: selection, allMatching: true })
          }
          onClear={clearSelection}
          onMove={moveDialog.open}
          onStatus={
            canChangeStatus
              ? (action) => setPendingStatus({ action, target: bulkTarget, count: selectedCount })
              : null
          }
          status={status}
          exportHref={canExport && allMatching ? customerExportUrl(filter) : null}
          onExportSelected={
            canExport && !allMatching ? () => exportSelected.mutate([...selection.keys()]) : null
          }
          exporting={exportSelected.isPending}
        />
      )}
      <Group align="flex-start" gap="md" wrap="nowrap">
        <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
          {page.isError ? (
            <ErrorAlert error={page.error} />
          ) : !page.data ? (
            <Group justify="center" p="xl">
              <Loader aria-label={t('app.loading')} />
            </Group>
          ) : (
            <>
              <Text size="sm" c="dimmed">
                {page.data.totalCapped
                  ? t('customers.countCapped', { count: total, formatted: formatNumber(total) })
                  : t('customers.count', { count: total, formatted: formatNumber(total) })}
              </Text>
              <CustomerTable
                data={page.data}
                loading={page.isPlaceholderData}
                list={list}
                sortable={!q}
                columns={columns}
                canEdit={canEdit}
                emptyText={emptyText}
                selection={selection}
                allMatching={allMatching}
                onSelectionChange={setSelection}
                onStatus={askStatus}
                onDragStart={setDragged}
                onDragEnd={() => setDragged(null)}
                typeNames={typeNames}
              />
            </>
          )}
        </Stack>
        {/* From 1408 px (xl): below it the table takes the width; "Move to organization…" moves. */}
        <Box w={220} visibleFrom="xl" style={{ flexShrink: 0, alignSelf: 'stretch', minWidth: 0 }}>
          <OrganizationDropList
            filter={organizationId}
            onFilter={(value) => setFilter('organizationId', value)}
            dragging={dragged !== null}
            onDrop={canEdit ? (target) => dragged && moveDragged(dragged)(target) : null}
          />
        </Box>
      </Group>
      <CustomerFormModal opened={creating} onClose={create.close} />
      {canEdit && (
        <MoveCustomersModal
          key={String(movingOpen)}
          opened={movingOpen}
          onClose={moveDialog.close}
          count={selectedCount}
          onMove={(target) =>
            bulk.mutate({ action: 'move', target: bulkTarget, organization: target })
          }
          moving={bulk.isPending}
        />
      )}
      <CustomerStatusConfirm
        question={pendingStatus}
        onClose={() => setPendingStatus(null)}
        onConfirm={() =>
          pendingStatus &&
          bulk.mutate({
            action: pendingStatus.action,
            target: pendingStatus.target,
            name: pendingStatus.name,
          })
        }
        busy={bulk.isPending}
      />
    </Stack>
  );
}
