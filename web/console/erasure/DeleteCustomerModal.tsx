// The Delete (erasure) confirmation: the dry run's counts of what goes, or the reasons it may
// not (which unresolved tickets; from which date the retention period allows it). Deleting
// queues the erasure and goes to Customers → Deleted Customers.
import { Alert, Button, Group, List, Loader, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ErasureRefusal } from '../../../common/erasure.ts';
import { type Customer } from '../../../common/customer.ts';
import { ApiError } from '../../api/client.ts';
import { erasureApi, erasureKeys } from '../../api/erasure.ts';
import { keys } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { useCustomerDisplayName } from '../../components/PhoneNumber.tsx';

function Refusal({ reason }: { reason: ErasureRefusal }) {
  const { t } = useTranslation();
  if (reason.code === 'unresolved_tickets')
    return (
      <Text size="sm">
        {t('erasure.unresolvedTickets', {
          count: reason.count,
          tickets: reason.tickets.map((n) => `#${n}`).join(', '),
        })}
      </Text>
    );
  const date = new Intl.DateTimeFormat(currentLocale(), {
    dateStyle: 'long',
    timeZone: reason.timeZone,
  }).format(new Date(reason.possibleFrom));
  return <Text size="sm">{t('erasure.withinRetention', { date, timeZone: reason.timeZone })}</Text>;
}

export function DeleteCustomerModal(props: {
  customer: Customer;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { customer } = props;
  const dryRun = useQuery({
    queryKey: erasureKeys.dryRun(customer.id),
    queryFn: () => erasureApi.dryRun(customer.id),
    enabled: props.opened,
    staleTime: 0,
  });
  const erase = useMutation({
    mutationFn: () => erasureApi.erase(customer.id),
    onSuccess: async (job) => {
      notifications.show({
        color: 'green',
        message: t('erasure.started', { number: job.customerNumber }),
      });
      props.onClose();
      await queryClient.invalidateQueries({ queryKey: keys.customers });
      await queryClient.invalidateQueries({ queryKey: ['deleted-customers'] });
      void navigate('/customers/deleted');
    },
  });
  // A refusal from DELETE itself (something changed since the dry run) shows its reasons too.
  const refused =
    erase.error instanceof ApiError && Array.isArray(erase.error.extra.reasons)
      ? (erase.error.extra.reasons as ErasureRefusal[])
      : undefined;
  const reasons = refused ?? dryRun.data?.reasons ?? [];
  const name = displayName(customer);
  const counts = dryRun.data?.counts;

  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={<Text fw={600}>{t('erasure.title', { name })}</Text>}
    >
      <Stack>
        {dryRun.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
        {dryRun.isError && <ErrorAlert error={dryRun.error} />}
        {reasons.length > 0 && (
          <Alert color="orange" variant="light" title={t('erasure.notPossible')} role="alert">
            <Stack gap={4}>
              {reasons.map((reason) => (
                <Refusal key={reason.code} reason={reason} />
              ))}
            </Stack>
          </Alert>
        )}
        {counts && reasons.length === 0 && (
          <>
            <Text size="sm">{t('erasure.explain')}</Text>
            <List size="sm" aria-label={t('erasure.whatGoes')}>
              <List.Item>{t('erasure.countTickets', { count: counts.tickets })}</List.Item>
              <List.Item>{t('erasure.countMessages', { count: counts.messages })}</List.Item>
              <List.Item>{t('erasure.countFiles', { count: counts.files })}</List.Item>
              <List.Item>{t('erasure.countArchives', { count: counts.archives })}</List.Item>
            </List>
            {dryRun.data && dryRun.data.contracts.length > 0 && (
              <Alert color="yellow" variant="light" title={t('erasure.contractsStay')}>
                <List size="sm">
                  {dryRun.data.contracts.map((contract) => (
                    <List.Item key={contract.id}>{contract.description}</List.Item>
                  ))}
                </List>
              </Alert>
            )}
            <Text size="sm" c="red">
              {t('erasure.irreversible')}
            </Text>
          </>
        )}
        {erase.error && !refused ? <ErrorAlert error={erase.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose} disabled={erase.isPending}>
            {t('app.cancel')}
          </Button>
          <Button
            color="red"
            onClick={() => erase.mutate()}
            loading={erase.isPending}
            disabled={!dryRun.data?.allowed || reasons.length > 0}
          >
            {t('erasure.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
