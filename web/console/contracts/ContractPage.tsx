// One contract: its fields, hours used and left as a bar, its tickets with the time on each, its
// time entries (all or one month), and that month as a CSV.
import {
  Alert,
  Anchor,
  Button,
  DataList,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowLeft, IconDownload, IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Contract } from '../../../common/contract.ts';
import type { TicketStatus } from '../../../common/ticket.ts';
import { ApiError } from '../../api/client.ts';
import { contractKeys, contractsApi } from '../../api/contracts.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatNumber } from '../../i18n/index.ts';
import { useCan } from '../session.tsx';
import { ContractFormModal } from './ContractFormModal.tsx';
import { ContractHoursBar } from './ContractHoursBar.tsx';

export function ContractPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const contract = useQuery({
    queryKey: contractKeys.one(id),
    queryFn: () => contractsApi.get(id),
  });
  if (contract.isError) {
    const notFound = contract.error instanceof ApiError && contract.error.status === 404;
    return notFound ? (
      <Alert color="gray">{t('contracts.notFound')}</Alert>
    ) : (
      <ErrorAlert error={contract.error} />
    );
  }
  if (!contract.data)
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  return <ContractDetails contract={contract.data} />;
}

function ContractDetails({ contract }: { contract: Contract }) {
  const { t } = useTranslation();
  const canEdit = useCan('customers.create_edit');
  const [editing, edit] = useDisclosure(false);
  const [month, setMonth] = useState(new Date().toISOString().slice(0, 7));
  const tickets = useQuery({
    queryKey: contractKeys.tickets(contract.id),
    queryFn: () => contractsApi.tickets(contract.id),
  });
  const entries = useQuery({
    queryKey: contractKeys.entries(contract.id, month),
    queryFn: () => contractsApi.entries(contract.id, month || undefined),
  });
  const row = (label: string, value: string | null) => (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{value || t('app.emptyValue')}</DataList.ItemValue>
    </DataList.Item>
  );
  return (
    <Stack gap="lg" maw={1100}>
      <Anchor component={Link} to={`/organizations/${contract.organizationId}`} size="sm">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} />
          {t('contracts.backToOrganization')}
        </Group>
      </Anchor>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {contract.description}
        </Title>
        {canEdit && (
          <Button leftSection={<IconPencil size={16} />} onClick={edit.open}>
            {t('customer.edit')}
          </Button>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Paper withBorder radius="md" p="lg">
          <DataList labelWidth={190}>
            {row(t('contracts.purchaseOrderNumber'), contract.purchaseOrderNumber)}
            {row(t('contracts.customerContact'), contract.customerContactName)}
            {row(t('contracts.supportContact'), contract.supportContactName)}
            {row(t('contracts.supportManager'), contract.supportManagerName)}
            {row(t('contracts.startDate'), contract.startDate)}
            {row(t('contracts.endDate'), contract.endDate)}
            {row(
              t('contracts.threshold'),
              contract.hoursNotificationThreshold === null
                ? null
                : formatNumber(contract.hoursNotificationThreshold),
            )}
          </DataList>
        </Paper>
        <Paper withBorder radius="md" p="lg" component="section" aria-label={t('contracts.hours')}>
          <Title order={2} size="h4" mb="md">
            {t('contracts.hours')}
          </Title>
          <ContractHoursBar contract={contract} />
        </Paper>
      </SimpleGrid>

      <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="contract-tickets">
        <Title order={2} size="h4" mb="md" id="contract-tickets">
          {t('contracts.tickets', { count: tickets.data?.total ?? 0 })}
        </Title>
        {tickets.isError && <ErrorAlert error={tickets.error} />}
        <Table>
          <Table.Tbody>
            {(tickets.data?.items ?? []).map((ticket) => (
              <Table.Tr key={ticket.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/tickets/${ticket.id}`}>
                    #{ticket.number} {ticket.subject}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t(`tickets.status.${ticket.status as TicketStatus}`)}</Table.Td>
                <Table.Td>{t('time.minutes', { count: ticket.minutes })}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="contract-time">
        <Group justify="space-between" mb="md">
          <Title order={2} size="h4" id="contract-time">
            {t('time.title')}
          </Title>
          <Group gap="xs">
            <TextInput
              type="month"
              aria-label={t('contracts.month')}
              value={month}
              onChange={(e) => setMonth(e.currentTarget.value)}
            />
            {month && (
              <Button
                component="a"
                variant="light"
                href={contractsApi.csvUrl(contract.id, month)}
                leftSection={<IconDownload size={16} />}
              >
                {t('contracts.csv')}
              </Button>
            )}
          </Group>
        </Group>
        {entries.isError && <ErrorAlert error={entries.error} />}
        {entries.data?.items.length === 0 && <Text c="dimmed">{t('time.empty')}</Text>}
        <Table>
          <Table.Tbody>
            {(entries.data?.items ?? []).map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td>{entry.workDate}</Table.Td>
                <Table.Td>#{entry.ticketNumber}</Table.Td>
                <Table.Td>{entry.agentName}</Table.Td>
                <Table.Td>{t('time.minutes', { count: entry.minutes })}</Table.Td>
                <Table.Td>{entry.note}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {canEdit && editing && (
        <ContractFormModal
          opened={editing}
          onClose={edit.close}
          organizationId={contract.organizationId}
          contract={contract}
        />
      )}
    </Stack>
  );
}
