// Deactivating and reactivating one customer from its page (PATCH {status, version}): the
// notification of what the server did, with Undo (web/components/undo-notification.tsx, as the
// customer list's). Both the change and its Undo name the version they are based on, so an Undo
// after someone else changed the customer is refused (409 version_conflict, shown) instead of
// overwriting their change; Undo is offered only when the server's answer shows the change.
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Customer, CustomerStatus } from '../../common/customer.ts';
import { customersApi, keys } from '../api/kunde.ts';
import { errorMessage } from '../components/ErrorAlert.tsx';
import { useCustomerDisplayName } from '../components/PhoneNumber.tsx';
import { showUndoNotification } from '../components/undo-notification.tsx';

interface StatusChange {
  customer: Customer;
  status: CustomerStatus;
}

export function useSetCustomerStatus(onDone?: () => void) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const queryClient = useQueryClient();

  const message = (saved: Customer) => {
    const name = displayName(saved) || t('customers.noName');
    return saved.status === 'active'
      ? t('customers.wasReactivated', { name })
      : t('customers.wasDeactivated', { name });
  };
  const saved = async (customer: Customer) => {
    queryClient.setQueryData(keys.customer(customer.id), customer);
    await queryClient.invalidateQueries({ queryKey: keys.customers });
  };
  const change = ({ customer, status }: StatusChange) =>
    customersApi.update(customer.id, { status, version: customer.version });
  const failed = async (error: unknown, { customer }: StatusChange) => {
    notifications.show({ color: 'red', message: errorMessage(error, t) });
    // A refusal (say, changed by someone else meanwhile) means the page may be out of date.
    await queryClient.invalidateQueries({ queryKey: keys.customer(customer.id) });
  };

  const undo = useMutation({
    mutationFn: change,
    onSuccess: async (customer) => {
      notifications.show({ color: 'gray', message: message(customer) });
      await saved(customer);
    },
    onError: failed,
  });

  return useMutation({
    mutationFn: change,
    onSuccess: async (customer, { customer: before, status }) => {
      if (customer.status === before.status) {
        notifications.show({ color: 'gray', message: t('bulk.nothingChanged') });
      } else {
        showUndoNotification({
          idPrefix: 'customer-status',
          message: message(customer),
          autoClose: 10_000,
          onUndo: () =>
            undo.mutate({ customer, status: status === 'active' ? 'deactivated' : 'active' }),
          t,
        });
      }
      await saved(customer);
    },
    onError: failed,
    // The confirmation closes either way: the notification says what happened.
    onSettled: () => onDone?.(),
  });
}
