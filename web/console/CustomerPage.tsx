// One customer: its detail panel, Edit, Deactivate (confirmed) and Reactivate (each with Undo),
// Merge…, the undo banner of a merge into it, and at the bottom its audit trail. A merged-away
// customer's link leads on to the customer it was merged into.
import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconArrowLeft,
  IconGitMerge,
  IconPencil,
  IconTrash,
  IconUserCheck,
  IconUserOff,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useParams } from 'react-router';
import type { Customer } from '../../common/customer.ts';
import { customersApi, keys } from '../api/kunde.ts';
import { CustomerFormModal } from '../components/CustomerFormModal.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useCustomerDisplayName } from '../components/PhoneNumber.tsx';
import { isMissingObject, NotFound } from './NotFoundPage.tsx';
import { formatDateTime } from '../i18n/index.ts';
import { AuditTrail } from './AuditTrail.tsx';
import { CustomerDetailPanel } from './CustomerDetailPanel.tsx';
import { CustomerStatusConfirm } from './customers/CustomerStatusConfirm.tsx';
import { ExportButton, useLatestExport } from './exports/ExportButton.tsx';
import { useCan } from './session.tsx';
import { useSetCustomerStatus } from './useCustomerStatus.ts';
import { CustomerTickets } from './tickets/CustomerTickets.tsx';
import { DeleteCustomerModal } from './erasure/DeleteCustomerModal.tsx';
import { CustomerHubPanel } from './hub/CustomerHubPanel.tsx';
import { MergeBanners, MergedFromNote } from './merge/MergeBanner.tsx';
import { MergeDialog } from './merge/MergeDialog.tsx';

/** Set when the console followed a merged-away customer's link to its survivor. */
interface MergedFromState {
  mergedFrom?: number;
}

export function CustomerPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const customer = useQuery({ queryKey: keys.customer(id), queryFn: () => customersApi.get(id) });

  if (customer.isError) {
    if (isMissingObject(customer.error)) {
      return (
        <NotFound
          title={t('notFound.customerTitle')}
          message={t('notFound.customerMessage')}
          backTo="/customers"
          back={t('notFound.customerBack')}
        />
      );
    }
    return (
      <Stack maw={1100}>
        <BackLink status="active" />
        <ErrorAlert error={customer.error} />
      </Stack>
    );
  }

  if (!customer.data) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  const { mergedInto } = customer.data;
  if (customer.data.status === 'merged' && mergedInto) {
    const state: MergedFromState = { mergedFrom: customer.data.number };
    return <Navigate to={`/customers/${mergedInto}`} replace state={state} />;
  }
  return <CustomerDetails customer={customer.data} />;
}

function BackLink({ status }: { status: Customer['status'] }) {
  const { t } = useTranslation();
  return (
    <Anchor
      component={Link}
      to={`/customers?status=${status === 'deactivated' ? 'deactivated' : 'active'}`}
      size="sm"
    >
      <Group gap={4} component="span">
        <IconArrowLeft size={14} />
        {t('customer.back')}
      </Group>
    </Anchor>
  );
}

function CustomerDetails({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const canEdit = useCan('customers.create_edit');
  // Deactivate and Reactivate need customers.delete too; an agent without it is not offered them.
  const canDelete = useCan('customers.delete');
  const canChangeStatus = canEdit && canDelete;
  const canExport = useCan('customers.export');
  const exportState = useLatestExport(customer.id, canExport);
  const [editing, { open: openEdit, close: closeEdit }] = useDisclosure(false);
  const [deleting, { open: openDelete, close: closeDelete }] = useDisclosure(false);
  const [merging, { open: openMerge, close: closeMerge }] = useDisclosure(false);
  const location = useLocation();
  const mergedFrom = (location.state as MergedFromState | null)?.mergedFrom;
  const [confirmingDeactivate, confirmDeactivate] = useDisclosure(false);
  const setStatus = useSetCustomerStatus(confirmDeactivate.close);
  const displayName = useCustomerDisplayName();
  const name = displayName(customer) || t('customers.noName');
  const active = customer.status === 'active';

  return (
    <Stack gap="lg" maw={1100}>
      <BackLink status={customer.status} />
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} size="h2">
              {name}
            </Title>
            <Badge color={active ? 'green' : 'gray'} variant="light">
              {t(`status.${customer.status}`)}
            </Badge>
          </Group>
          <Text c="dimmed" size="sm">
            {t('customer.number')} {customer.number} · {t('customer.updatedAt')}{' '}
            {formatDateTime(customer.updatedAt)}
          </Text>
        </Stack>
        {(canEdit || canExport) && (
          <Group gap="xs">
            {canExport && exportState.loaded && (
              <ExportButton customer={customer} latest={exportState.latest} />
            )}
            {canEdit && (
              <Button leftSection={<IconPencil size={16} />} onClick={openEdit}>
                {t('customer.edit')}
              </Button>
            )}
            {!canEdit || !canChangeStatus ? null : active ? (
              <Button
                variant="light"
                color="red"
                leftSection={<IconUserOff size={16} />}
                onClick={confirmDeactivate.open}
              >
                {t('customers.deactivate')}
              </Button>
            ) : (
              <Button
                variant="light"
                color="green"
                leftSection={<IconUserCheck size={16} />}
                loading={setStatus.isPending}
                onClick={() => setStatus.mutate({ customer, status: 'active' })}
              >
                {t('customers.reactivate')}
              </Button>
            )}
            {canDelete && customer.status !== 'merged' && (
              <Button variant="light" leftSection={<IconGitMerge size={16} />} onClick={openMerge}>
                {t('merge.action')}
              </Button>
            )}
            {canDelete && (
              <Button
                variant="outline"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={openDelete}
              >
                {t('erasure.delete')}
              </Button>
            )}
          </Group>
        )}
      </Group>

      <MergedFromNote number={mergedFrom} />

      <MergeBanners customer={customer} />

      {customer.status === 'deactivated' && (
        <Alert color="gray" variant="light">
          {t('customer.deactivatedNotice')}
        </Alert>
      )}

      <CustomerDetailPanel customer={customer} />

      <CustomerTickets customer={customer} />

      <CustomerHubPanel customer={customer} />

      <AuditTrail customer={customer} />

      {canChangeStatus && (
        <CustomerStatusConfirm
          question={confirmingDeactivate ? { action: 'deactivate', count: 1, name } : null}
          onClose={confirmDeactivate.close}
          onConfirm={() => setStatus.mutate({ customer, status: 'deactivated' })}
          busy={setStatus.isPending}
        />
      )}

      {canDelete && (
        <DeleteCustomerModal customer={customer} opened={deleting} onClose={closeDelete} />
      )}

      {canDelete && <MergeDialog customer={customer} opened={merging} onClose={closeMerge} />}

      {canEdit && <CustomerFormModal opened={editing} onClose={closeEdit} customer={customer} />}
    </Stack>
  );
}
