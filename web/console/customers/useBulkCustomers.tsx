// Bulk actions on customers from the list (issue 16): deactivate, reactivate or move the selected
// customers or every one matching the list's filter, through POST /api/v1/customers/bulk; then
// one notification with Undo, which sends the inverse action for exactly the customers the
// server reports as changed (a move puts each back into the organization it came from).
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type {
  CustomerBulkAction,
  CustomerBulkFilter,
  CustomerBulkResult,
} from '../../../common/customer-bulk.ts';
import { customersApi, keys } from '../../api/kunde.ts';
import { errorMessage } from '../../components/ErrorAlert.tsx';
import { showUndoNotification } from '../../components/undo-notification.tsx';
import { formatNumber } from '../../i18n/index.ts';
import type { MoveTarget } from './useMoveCustomers.tsx';

export type BulkTarget = { customerIds: string[] } | { filter: CustomerBulkFilter };

export interface BulkRequest {
  action: CustomerBulkAction;
  target: BulkTarget;
  /** For a move: where to. */
  organization?: MoveTarget;
  /** One customer's name, for the one-row wording. */
  name?: string;
}

/** The inverse of what the server changed: each customer back to what it was before. */
async function undoBulk(result: CustomerBulkResult): Promise<void> {
  if (result.action !== 'move') {
    const ids = result.changed.map((c) => c.id);
    for (let start = 0; start < ids.length; start += 5000)
      await customersApi.bulk({
        action: result.action === 'deactivate' ? 'reactivate' : 'deactivate',
        customerIds: ids.slice(start, start + 5000),
      });
    return;
  }
  const byOrganization = new Map<string | null, string[]>();
  for (const customer of result.changed) {
    const ids = byOrganization.get(customer.organizationId) ?? [];
    ids.push(customer.id);
    byOrganization.set(customer.organizationId, ids);
  }
  for (const [organizationId, ids] of byOrganization)
    await customersApi.bulk({
      action: 'move',
      organizationId: organizationId ?? 'none',
      customerIds: ids,
    });
}

export function useBulkCustomers(onDone?: () => void) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.customers }),
      queryClient.invalidateQueries({ queryKey: keys.organizations }),
    ]);

  const undo = useMutation({
    mutationFn: undoBulk,
    onSuccess: async (_, result) => {
      notifications.show({
        color: 'gray',
        message: t('bulk.undone', {
          count: result.changed.length,
          formatted: formatNumber(result.changed.length),
        }),
      });
      await refresh();
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });

  function doneMessage(result: CustomerBulkResult, request: BulkRequest): string {
    const count = result.changed.length;
    const values = { count, formatted: formatNumber(count) };
    if (count === 0) return t('bulk.nothingChanged');
    const one = count === 1 && request.name;
    if (result.action === 'move') {
      const organization = request.organization?.name ?? t('organizations.none');
      return one
        ? t('move.movedOne', { name: request.name, organization })
        : t('move.moved', { count, organization });
    }
    if (result.action === 'deactivate')
      return one
        ? t('customers.wasDeactivated', { name: request.name })
        : t('bulk.deactivated', values);
    return one
      ? t('customers.wasReactivated', { name: request.name })
      : t('bulk.reactivated', values);
  }

  return useMutation({
    mutationFn: ({ action, target, organization }: BulkRequest) =>
      customersApi.bulk({
        action,
        ...target,
        ...(action === 'move' ? { organizationId: organization?.id ?? 'none' } : {}),
      }),
    onSuccess: async (result, request) => {
      const message = doneMessage(result, request);
      if (result.changed.length === 0)
        notifications.show({ color: 'gray', autoClose: 10_000, message });
      else
        showUndoNotification({
          idPrefix: 'bulk',
          message,
          autoClose: 10_000,
          onUndo: () => undo.mutate(result),
          t,
        });
      onDone?.();
      await refresh();
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
}
