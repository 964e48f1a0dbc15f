// The customers of one organization (the customer list filtered by ?organizationId=), with paging,
// a way out to the full customer list, and "remove from organization" per customer.
import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowRight, IconUserMinus } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { customerDisplayName, type Customer } from '../../../common/customer.ts';
import type { Organization } from '../../../common/organization.ts';
import { customersApi, keys, organizationsApi } from '../../api/kunde.ts';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert.tsx';
import { Pager, useCursorPages } from '../../components/paging.tsx';
import { PhoneNumber, useCustomerDisplayName } from '../../components/PhoneNumber.tsx';
import { formatNumber } from '../../i18n/index.ts';

const PAGE_SIZE = 20;

export function OrganizationCustomers({
  organization,
  canEdit,
}: {
  organization: Organization;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const queryClient = useQueryClient();
  const pages = useCursorPages({ scroll: false });
  const params = {
    status: 'all' as const,
    organizationId: organization.id,
    cursor: pages.cursor,
    limit: PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: keys.customerList(params),
    queryFn: () => customersApi.list(params),
    placeholderData: keepPreviousData,
  });

  const removeCustomer = useMutation({
    mutationFn: (customer: Customer) => organizationsApi.moveCustomers(null, [customer.id]),
    onSuccess: async (_, customer) => {
      notifications.show({
        color: 'gray',
        message: t('organizations.customerRemoved', {
          name: displayName(customer),
          organization: organization.name,
        }),
      });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.customers }),
        queryClient.invalidateQueries({ queryKey: keys.organizations }),
      ]);
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });

  const total = list.data?.total ?? organization.customerCount;
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="members-title">
      <Group justify="space-between" mb="md">
        <Group gap="xs">
          <Title order={2} size="h4" id="members-title">
            {t('organizations.customers')}
          </Title>
          <Text size="sm" c="dimmed">
            {formatNumber(total)}
          </Text>
        </Group>
        <Button
          component={Link}
          to={`/customers?status=active&organizationId=${organization.id}`}
          variant="subtle"
          size="xs"
          rightSection={<IconArrowRight size={14} />}
        >
          {t('organizations.openInList')}
        </Button>
      </Group>
      {list.isError && <ErrorAlert error={list.error} />}
      {!list.data && !list.isError && <Loader size="sm" aria-label={t('app.loading')} />}
      {list.data && list.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('organizations.noCustomers')}
        </Text>
      )}
      {list.data && list.data.items.length > 0 && (
        <Stack gap="xs">
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('customers.name')}</Table.Th>
                  <Table.Th>{t('customers.email')}</Table.Th>
                  <Table.Th>{t('customers.phone')}</Table.Th>
                  {canEdit && <Table.Th w={1} />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((customer) => {
                  const name = displayName(customer);
                  return (
                    <Table.Tr key={customer.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/customers/${customer.id}`} size="sm">
                          {customerDisplayName({ ...customer, email: null, phone: null }) ||
                            t('customers.noName')}
                        </Anchor>
                        {customer.status === 'deactivated' && (
                          <Text span size="xs" c="dimmed" ml={6}>
                            ({t('status.deactivated')})
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{customer.email ?? t('app.emptyValue')}</Text>
                      </Table.Td>
                      <Table.Td>
                        {customer.phone ? (
                          <PhoneNumber value={customer.phone} />
                        ) : (
                          <Text size="sm">{t('app.emptyValue')}</Text>
                        )}
                      </Table.Td>
                      {canEdit && (
                        <Table.Td>
                          <Tooltip label={t('organizations.removeCustomer', { name })}>
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              aria-label={t('organizations.removeCustomer', { name })}
                              loading={
                                removeCustomer.isPending &&
                                removeCustomer.variables.id === customer.id
                              }
                              onClick={() => removeCustomer.mutate(customer)}
                            >
                              <IconUserMinus size={16} />
                            </ActionIcon>
                          </Tooltip>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            page={pages.page}
            nextCursor={list.data.nextCursor}
            onPrevious={pages.previous}
            onNext={pages.next}
            loading={list.isPlaceholderData}
          />
        </Stack>
      )}
    </Paper>
  );
}
