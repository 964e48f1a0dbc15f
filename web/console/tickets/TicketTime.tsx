// The ticket's time panel: its contract (a picker of the organization's active contracts), the
// time logged on it, logging more, and editing or deleting an entry. An entry past the contract
// hours asks for confirmation first (the server answers 409 contract_hours_exceeded).
import {
  ActionIcon,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimeEntry, TimeEntryCreate } from '../../../common/contract.ts';
import type { TicketWithMessages } from '../../../common/ticket.ts';
import { contractKeys, contractsApi, timeApi } from '../../api/contracts.ts';
import { ticketKeys, ticketsApi } from '../../api/tickets.ts';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert.tsx';
import { formatNumber } from '../../i18n/index.ts';
import { useFieldError } from '../contracts/ContractFormModal.tsx';
import { useCan } from '../session.tsx';
import { EditEntryModal, overLimit } from './TimeEntryEditModal.tsx';

const NONE = '__none__';
const today = () => new Date().toISOString().slice(0, 10);

interface Pending {
  /** Logs or saves again with confirmOverLimit: true. */
  retry: () => void;
  hoursUsed: number;
  hoursLeft: number;
}

export function TicketTime({ ticket }: { ticket: TicketWithMessages }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canManage = useCan('tickets.manage');
  const time = useQuery({
    queryKey: contractKeys.ticketTime(ticket.id),
    queryFn: () => timeApi.ofTicket(ticket.id),
  });
  const contracts = useQuery({
    queryKey: contractKeys.ofOrganization(ticket.organizationId ?? ''),
    queryFn: () => contractsApi.list(ticket.organizationId ?? ''),
    enabled: Boolean(ticket.organizationId),
  });
  const [draft, setDraft] = useState({
    minutes: 30 as number | string,
    workDate: today(),
    note: '',
  });
  const [pending, setPending] = useState<Pending | null>(null);
  const [editing, setEditing] = useState<TimeEntry | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: contractKeys.all });
  };
  const body = (): TimeEntryCreate => ({
    minutes: Number(draft.minutes),
    workDate: draft.workDate,
    note: draft.note || null,
  });
  // The dialog's retry goes through a ref: the mutation's own callbacks cannot name it.
  const logAgain = useRef<(confirm: boolean) => void>(() => undefined);
  const log = useMutation({
    mutationFn: (confirm: boolean) =>
      timeApi.log(ticket.id, { ...body(), confirmOverLimit: confirm }),
    onSuccess: async () => {
      setPending(null);
      setDraft((d) => ({ ...d, note: '' }));
      notifications.show({ color: 'green', message: t('time.logged') });
      await refresh();
    },
    onError: (error) => {
      const over = overLimit(error);
      if (over) setPending({ ...over, retry: () => logAgain.current(true) });
    },
  });
  logAgain.current = (confirm) => log.mutate(confirm);
  const assign = useMutation({
    mutationFn: (contractId: string | null) => ticketsApi.update(ticket.id, { contractId }),
    onSuccess: async (updated) => {
      queryClient.setQueryData<TicketWithMessages>(ticketKeys.one(ticket.id), (current) =>
        current ? { ...current, ...updated } : current,
      );
      notifications.show({ color: 'green', message: t('tickets.updated') });
      await refresh();
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => timeApi.remove(id),
    onSuccess: refresh,
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  const fieldError = useFieldError(log.error);
  const options = [
    { value: NONE, label: t('contracts.noContract') },
    ...(contracts.data?.items ?? [])
      .filter((c) => c.active || c.id === ticket.contractId)
      .map((c) => ({ value: c.id, label: c.description })),
  ];
  const contract = time.data?.contract;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="ticket-time">
      <Stack gap="sm">
        <Title order={2} size="h5" id="ticket-time">
          {t('time.title')}
        </Title>
        {ticket.organizationId && (
          <Select
            label={t('contracts.contract')}
            data={options}
            value={ticket.contractId ?? NONE}
            disabled={!canManage || assign.isPending}
            onChange={(value) => value && assign.mutate(value === NONE ? null : value)}
          />
        )}
        {contract?.hasHourRestriction && (
          <Text size="sm" c="dimmed">
            {t('contracts.used', {
              used: formatNumber(contract.hoursUsed),
              hours: formatNumber(contract.contractHours ?? 0),
            })}{' '}
            · {t('contracts.left', { left: formatNumber(contract.hoursLeft ?? 0) })}
          </Text>
        )}
        {time.isError && <ErrorAlert error={time.error} />}
        <Text size="sm" fw={500}>
          {t('time.total', { count: time.data?.totalMinutes ?? 0 })}
        </Text>
        <Table aria-label={t('time.entries')}>
          <Table.Tbody>
            {(time.data?.items ?? []).map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td>
                  <Text size="xs">{entry.workDate}</Text>
                  <Text size="xs" c="dimmed">
                    {entry.agentName}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t('time.minutes', { count: entry.minutes })}</Text>
                  {entry.note && (
                    <Text size="xs" c="dimmed">
                      {entry.note}
                    </Text>
                  )}
                </Table.Td>
                {canManage && (
                  <Table.Td>
                    <Group gap={2} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('time.edit')}
                        onClick={() => setEditing(entry)}
                      >
                        <IconPencil size={14} />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('time.delete')}
                        onClick={() => remove.mutate(entry.id)}
                      >
                        <IconTrash size={14} />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {canManage && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              log.mutate(false);
            }}
          >
            <Stack gap="xs">
              <Group grow gap="xs">
                <NumberInput
                  label={t('time.minutesLabel')}
                  min={1}
                  max={1440}
                  value={draft.minutes}
                  onChange={(minutes) => setDraft((d) => ({ ...d, minutes }))}
                  error={fieldError('minutes')}
                />
                <TextInput
                  type="date"
                  label={t('time.workDate')}
                  value={draft.workDate}
                  onChange={(e) => {
                    const workDate = e.currentTarget.value;
                    setDraft((d) => ({ ...d, workDate }));
                  }}
                  error={fieldError('workDate')}
                />
              </Group>
              <TextInput
                label={t('time.note')}
                value={draft.note}
                onChange={(e) => {
                  const note = e.currentTarget.value;
                  setDraft((d) => ({ ...d, note }));
                }}
                error={fieldError('note')}
              />
              <Button type="submit" loading={log.isPending}>
                {t('time.log')}
              </Button>
            </Stack>
          </form>
        )}
      </Stack>
      <Modal
        opened={pending !== null}
        onClose={() => setPending(null)}
        title={<Text fw={600}>{t('time.overLimitTitle')}</Text>}
      >
        <Stack>
          <Text size="sm">
            {t('time.overLimitExplain', {
              used: formatNumber(pending?.hoursUsed ?? 0),
              left: formatNumber(pending?.hoursLeft ?? 0),
            })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPending(null)}>
              {t('app.cancel')}
            </Button>
            <Button color="orange" onClick={() => pending?.retry()}>
              {t('time.overLimitConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      {editing && (
        <EditEntryModal
          entry={editing}
          onClose={() => setEditing(null)}
          onOverLimit={(over, retry) => setPending({ ...over, retry })}
          onSaved={async () => {
            setPending(null);
            await refresh();
          }}
        />
      )}
    </Paper>
  );
}
