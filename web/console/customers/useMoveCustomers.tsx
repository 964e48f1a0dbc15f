// Moving customers into an organization (or out of theirs), from drag and drop or the "Move to
// organization…" dialog: one notification that says what moved where, with Undo.
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Customer } from '../../../common/customer.ts';
import { keys, organizationsApi } from '../../api/kunde.ts';
import { errorMessage } from '../../components/ErrorAlert.tsx';
import { showUndoNotification } from '../../components/undo-notification.tsx';
import { useCustomerDisplayName } from '../../components/PhoneNumber.tsx';

/** Where customers go: an organization, or `id: null` for "No organization". */
export interface MoveTarget {
  id: string | null;
  name: string;
}

export interface MoveRequest {
  customers: Customer[];
  target: MoveTarget;
}

/** Puts each customer back into the organization they came from. */
async function undoMove(customers: Customer[]): Promise<void> {
  const byOrganization = new Map<string | null, string[]>();
  for (const customer of customers) {
    const ids = byOrganization.get(customer.organizationId) ?? [];
    ids.push(customer.id);
    byOrganization.set(customer.organizationId, ids);
  }
  for (const [organizationId, ids] of byOrganization) {
    await organizationsApi.moveCustomers(organizationId, ids);
  }
}

export function useMoveCustomers(onMoved?: () => void) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const queryClient = useQueryClient();

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.customers }),
      queryClient.invalidateQueries({ queryKey: keys.organizations }),
    ]);

  const undo = useMutation({
    mutationFn: undoMove,
    onSuccess: async () => {
      notifications.show({ color: 'gray', message: t('move.undone') });
      await refresh();
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });

  return useMutation({
    mutationFn: async ({ customers, target }: MoveRequest) => {
      // Customers already there are left out: nothing to move, nothing to undo.
      const moving = customers.filter((customer) => customer.organizationId !== target.id);
      if (moving.length > 0) {
        await organizationsApi.moveCustomers(
          target.id,
          moving.map((customer) => customer.id),
        );
      }
      return moving;
    },
    onSuccess: async (customers, { target }) => {
      if (customers.length === 0) {
        notifications.show({
          color: 'gray',
          message: t('move.alreadyThere', { organization: target.name }),
        });
        onMoved?.();
        return;
      }
      const [first] = customers;
      const message =
        customers.length === 1 && first
          ? t('move.movedOne', { name: displayName(first), organization: target.name })
          : t('move.moved', { count: customers.length, organization: target.name });
      showUndoNotification({
        idPrefix: 'move',
        message,
        autoClose: 8000,
        onUndo: () => undo.mutate(customers),
        t,
      });
      onMoved?.();
      await refresh();
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
}
