// The side panel of a ticket: status, assignee and team, and for an organization's ticket its
// location and area (each saved as soon as it changes), and when and how the ticket came in.
import { DataList, Paper, Select, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  TICKET_STATUSES,
  type TicketUpdate,
  type TicketWithMessages,
} from '../../../common/ticket.ts';
import { ticketKeys, ticketsApi } from '../../api/tickets.ts';
import { errorMessage } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../i18n/index.ts';
import { useCan } from '../session.tsx';
import {
  ChannelLabel,
  STATUS_COLORS,
  useAgentNames,
  useAgentOptions,
  useTeams,
} from './ticket-ui.tsx';
import { TicketPlaceSelects } from './TicketPlaceSelects.tsx';

const NONE = '__none__';

export function TicketProperties({ ticket }: { ticket: TicketWithMessages }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canManage = useCan('tickets.manage');
  const agentOptions = useAgentOptions();
  const agentName = useAgentNames();
  const teams = useTeams();

  const update = useMutation({
    mutationFn: (patch: TicketUpdate) => ticketsApi.update(ticket.id, patch),
    onSuccess: async (updated, patch) => {
      queryClient.setQueryData<TicketWithMessages>(ticketKeys.one(ticket.id), (current) =>
        current ? { ...current, ...updated } : current,
      );
      notifications.show({
        color: 'green',
        message: patch.status
          ? t('tickets.statusChanged', { status: t(`tickets.status.${patch.status}`) })
          : t('tickets.updated'),
      });
      await queryClient.invalidateQueries({ queryKey: ['tickets', 'list'] });
      await queryClient.invalidateQueries({ queryKey: ['tickets', 'customer'] });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });

  // The current assignee stays choosable even when the console cannot list everyone.
  const assignees = [{ value: NONE, label: t('tickets.unassigned') }, ...agentOptions];
  if (ticket.assigneeId && !assignees.some((option) => option.value === ticket.assigneeId)) {
    assignees.push({ value: ticket.assigneeId, label: agentName(ticket.assigneeId) ?? '' });
  }
  const teamOptions = [
    { value: NONE, label: t('tickets.noTeam') },
    ...(teams.data ?? []).map((team) => ({ value: team.id, label: team.name })),
  ];
  if (
    teams.data &&
    ticket.teamId &&
    !teamOptions.some((option) => option.value === ticket.teamId)
  ) {
    teamOptions.push({ value: ticket.teamId, label: t('tickets.deletedTeam') });
  }
  const busy = (field: keyof TicketUpdate) =>
    update.isPending && update.variables[field] !== undefined;

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="ticket-properties">
      <Title order={2} size="h5" mb="md" id="ticket-properties">
        {t('tickets.properties')}
      </Title>
      <Stack gap="sm">
        <Select
          label={t('tickets.columns.status')}
          data={TICKET_STATUSES.map((status) => ({
            value: status,
            label: t(`tickets.status.${status}`),
          }))}
          value={ticket.status}
          onChange={(status) => status && status !== ticket.status && update.mutate({ status })}
          allowDeselect={false}
          disabled={!canManage || busy('status')}
          leftSection={
            <span
              aria-hidden
              style={{
                width: 10,
                height: 10,
                borderRadius: 5,
                background: `var(--mantine-color-${STATUS_COLORS[ticket.status]}-6)`,
              }}
            />
          }
        />
        <Select
          label={t('tickets.columns.assignee')}
          data={assignees}
          value={ticket.assigneeId ?? NONE}
          onChange={(value) => {
            const assigneeId = !value || value === NONE ? null : value;
            if (assigneeId !== ticket.assigneeId) update.mutate({ assigneeId });
          }}
          searchable
          allowDeselect={false}
          nothingFoundMessage={t('tickets.noMatch')}
          disabled={!canManage || busy('assigneeId')}
        />
        <Select
          label={t('tickets.team')}
          data={teamOptions}
          value={ticket.teamId ?? NONE}
          onChange={(value) => {
            const teamId = !value || value === NONE ? null : value;
            if (teamId !== ticket.teamId) update.mutate({ teamId });
          }}
          searchable
          allowDeselect={false}
          nothingFoundMessage={t('tickets.noMatch')}
          disabled={!canManage || busy('teamId')}
        />
        {ticket.organizationId && (
          <TicketPlaceSelects
            organizationId={ticket.organizationId}
            value={{ locationId: ticket.locationId, areaId: ticket.areaId }}
            current={ticket}
            onChange={(place) => {
              if (place.locationId !== ticket.locationId || place.areaId !== ticket.areaId)
                update.mutate(place);
            }}
            disabled={!canManage || busy('locationId') || busy('areaId')}
          />
        )}
        <DataList labelWidth={100} mt="xs">
          <DataList.Item>
            <DataList.ItemLabel>{t('tickets.columns.channel')}</DataList.ItemLabel>
            <DataList.ItemValue>
              <ChannelLabel channel={ticket.channel} />
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('tickets.createdAt')}</DataList.ItemLabel>
            <DataList.ItemValue>{formatDateTime(ticket.createdAt)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('tickets.updatedAt')}</DataList.ItemLabel>
            <DataList.ItemValue>{formatDateTime(ticket.updatedAt)}</DataList.ItemValue>
          </DataList.Item>
        </DataList>
      </Stack>
    </Paper>
  );
}
