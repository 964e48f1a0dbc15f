// Customers → Active / Deactivated: search (?q=), filters by organization and type (also in the
// URL), the list with selection, "Move to organization…", and drag and drop of rows onto the
// organizations listed beside it; Import from CSV and Export CSV (of the list as filtered).
import { Box, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowsRightLeft, IconPlus, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Customer, CustomerStatus } from '../../common/customer.ts';
import { useCustomerTypes } from '../api/account-data.ts';
import { CustomerFormModal } from '../components/CustomerFormModal.tsx';
import { OrganizationSelect } from '../components/OrganizationSelect.tsx';
import { UrlSearchBox } from '../components/paging.tsx';
import { formatNumber } from '../i18n/index.ts';
import { CustomerTable, type Selection } from './customers/CustomerTable.tsx';
import { MoveCustomersModal } from './customers/MoveCustomersModal.tsx';
import { OrganizationDropList } from './customers/OrganizationDropList.tsx';
import { useMoveCustomers, type MoveTarget } from './customers/useMoveCustomers.tsx';
import { CustomerCsvButtons } from './imports/CustomerCsvButtons.tsx';
import { useCan } from './session.tsx';

export function CustomersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status: CustomerStatus = params.get('status') === 'deactivated' ? 'deactivated' : 'active';
  const q = params.get('q') ?? '';
  const organizationId = params.get('organizationId') || null;
  const typeId = params.get('typeId') || null;
  const canEdit = useCan('customers.create_edit');
  const types = useCustomerTypes();
  const [creating, create] = useDisclosure(false);
  const [movingOpen, moveDialog] = useDisclosure(false);

  // The selection belongs to one set of filters; changing them starts afresh.
  const filterKey = [status, q, organizationId, typeId].join('|');
  const [selectionState, setSelectionState] = useState<{ key: string; items: Selection }>({
    key: filterKey,
    items: new Map(),
  });
  const selection: Selection =
    selectionState.key === filterKey ? selectionState.items : new Map<string, Customer>();
  const setSelection = (items: Selection) => setSelectionState({ key: filterKey, items });
  const [dragged, setDragged] = useState<Customer[] | null>(null);

  const move = useMoveCustomers(() => {
    setSelection(new Map());
    moveDialog.close();
  });
  const moveTo = (customers: Customer[]) => (target: MoveTarget) =>
    move.mutate({ customers, target });

  function setFilter(name: 'organizationId' | 'typeId', value: string | null) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  }

  const typeNames = types.data?.length
    ? new Map(types.data.map((type) => [type.id, type.name]))
    : null;
  const filtered = Boolean(q || organizationId || typeId);
  const emptyText = q
    ? t('customers.emptySearch', { q })
    : filtered
      ? t('customers.emptyFiltered')
      : status === 'active'
        ? t('customers.emptyActive')
        : t('customers.emptyDeactivated');

  return (
    <Stack gap="md" maw={1600}>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {status === 'active' ? t('customers.titleActive') : t('customers.titleDeactivated')}
        </Title>
        <Group gap="sm">
          <CustomerCsvButtons
            filter={{
              status,
              q,
              organizationId: organizationId ?? undefined,
              typeId: typeId ?? undefined,
            }}
          />
          {canEdit && (
            <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
              {t('customers.new')}
            </Button>
          )}
        </Group>
      </Group>
      <Group gap="sm" align="flex-end">
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
          w={240}
        />
        {typeNames && (
          <Select
            aria-label={t('customers.filterType')}
            placeholder={t('customers.allTypes')}
            data={(types.data ?? []).map((type) => ({ value: type.id, label: type.name }))}
            value={typeId}
            onChange={(value) => setFilter('typeId', value)}
            clearable
            w={200}
          />
        )}
      </Group>
      {canEdit && selection.size > 0 && (
        <Paper
          withBorder
          radius="md"
          px="md"
          py="xs"
          bg="blue.0"
          role="region"
          aria-label={t('select.bar')}
        >
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {t('select.count', {
                count: selection.size,
                formatted: formatNumber(selection.size),
              })}
            </Text>
            <Group gap="xs">
              <Button
                size="xs"
                leftSection={<IconArrowsRightLeft size={14} />}
                onClick={moveDialog.open}
              >
                {t('move.action')}
              </Button>
              <Button
                size="xs"
                variant="subtle"
                color="gray"
                leftSection={<IconX size={14} />}
                onClick={() => setSelection(new Map())}
              >
                {t('select.clear')}
              </Button>
            </Group>
          </Group>
        </Paper>
      )}
      <Group align="flex-start" gap="md" wrap="nowrap">
        <Box style={{ flex: 1, minWidth: 0 }}>
          <CustomerTable
            key={filterKey}
            params={{
              status,
              q,
              organizationId: organizationId ?? undefined,
              typeId: typeId ?? undefined,
            }}
            canEdit={canEdit}
            emptyText={emptyText}
            selection={selection}
            onSelectionChange={setSelection}
            onDragStart={setDragged}
            onDragEnd={() => setDragged(null)}
            typeNames={typeNames}
          />
        </Box>
        <Box w={240} visibleFrom="md" style={{ flexShrink: 0, alignSelf: 'stretch' }}>
          <OrganizationDropList
            filter={organizationId}
            onFilter={(value) => setFilter('organizationId', value)}
            dragging={dragged !== null}
            onDrop={canEdit ? (target) => dragged && moveTo(dragged)(target) : null}
          />
        </Box>
      </Group>
      <CustomerFormModal opened={creating} onClose={create.close} />
      {canEdit && (
        <MoveCustomersModal
          key={String(movingOpen)}
          opened={movingOpen}
          onClose={moveDialog.close}
          customers={[...selection.values()]}
          onMove={moveTo([...selection.values()])}
          moving={move.isPending}
        />
      )}
    </Stack>
  );
}
