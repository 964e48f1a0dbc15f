// Deactivating and reactivating a customer (PATCH {status}), with a notification either way.
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { customerDisplayName, type Customer, type CustomerStatus } from '../../common/customer.ts';
import { customersApi, keys } from '../api/kunde.ts';
import { errorMessage } from '../components/ErrorAlert.tsx';

export function useSetCustomerStatus() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ customer, status }: { customer: Customer; status: CustomerStatus }) =>
      customersApi.update(customer.id, { status }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(keys.customer(saved.id), saved);
      const name = customerDisplayName(saved);
      notifications.show({
        color: saved.status === 'active' ? 'green' : 'gray',
        message:
          saved.status === 'active'
            ? t('customers.wasReactivated', { name })
            : t('customers.wasDeactivated', { name }),
      });
      await queryClient.invalidateQueries({ queryKey: keys.customers });
    },
    onError: (error) => {
      notifications.show({ color: 'red', message: errorMessage(error, t) });
    },
  });
}
