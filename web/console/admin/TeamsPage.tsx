// Administration → Teams: named groups of agents that tickets and routing rules can go to.
// Create with members, edit a team's ticket access (TeamAccessModal), delete (tickets and rules
// that named the team are left without it).
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Loader,
  MultiSelect,
  Paper,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import type { Team } from '../../../common/ticket.ts';
import { teamsApi, ticketKeys } from '../../api/tickets.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeServerMessage } from '../../i18n/server-messages.ts';
import { useAgentNames, useAgentOptions, useTeams } from '../tickets/ticket-ui.tsx';
import { AdminPage } from './AdminPage.tsx';
import { TeamAccessModal } from './TeamAccessModal.tsx';

export function TeamsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const teams = useTeams();
  const agentOptions = useAgentOptions();
  const agentName = useAgentNames();
  const [name, setName] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const [editing, setEditing] = useState<Team | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ticketKeys.teams });

  const create = useMutation({
    mutationFn: () => teamsApi.create({ name: name.trim(), memberIds: members }),
    onSuccess: async (team) => {
      setName('');
      setMembers([]);
      notifications.show({ color: 'green', message: t('teams.created', { name: team.name }) });
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (team: Team) => teamsApi.remove(team.id),
    onSuccess: async (_, team) => {
      setDeleting(null);
      notifications.show({ color: 'gray', message: t('teams.deleted', { name: team.name }) });
      await refresh();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) create.mutate();
  }

  const apiError = create.error instanceof ApiError ? create.error : null;
  const nameError =
    apiError?.status === 409
      ? t('teams.nameTaken')
      : apiError?.fieldMessages('name').map((m) => localizeServerMessage(m, t))[0];
  const membersError = apiError?.fieldMessages('memberIds')[0];

  return (
    <AdminPage title={t('teams.title')} description={t('teams.intro')} permission="agents.manage">
      <Paper withBorder radius="md" p="md">
        <form onSubmit={submit} noValidate>
          <Group align="flex-end" gap="sm">
            <TextInput
              label={t('teams.name')}
              placeholder={t('teams.namePlaceholder')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={nameError}
              w={260}
            />
            <MultiSelect
              label={t('teams.members')}
              placeholder={members.length ? undefined : t('teams.membersPlaceholder')}
              data={agentOptions}
              value={members}
              onChange={setMembers}
              searchable
              clearable
              nothingFoundMessage={t('tickets.noMatch')}
              error={membersError}
              style={{ flex: 1, minWidth: 260 }}
            />
            <Button
              type="submit"
              leftSection={<IconPlus size={16} />}
              loading={create.isPending}
              disabled={!name.trim()}
            >
              {t('teams.create')}
            </Button>
          </Group>
        </form>
      </Paper>
      {create.isError && !nameError && !membersError && <ErrorAlert error={create.error} />}
      {teams.isError && <ErrorAlert error={teams.error} />}
      {teams.isPending && <Loader aria-label={t('app.loading')} />}
      {teams.data && (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table verticalSpacing="sm" horizontalSpacing="md">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th w={240}>{t('teams.name')}</Table.Th>
                <Table.Th>{t('teams.members')}</Table.Th>
                <Table.Th>{t('teams.access.column')}</Table.Th>
                <Table.Th w={1}>{t('customers.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {teams.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('teams.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {teams.data.map((team) => (
                <Table.Tr key={team.id}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {team.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {team.memberIds.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('teams.noMembers')}
                      </Text>
                    ) : (
                      <Group gap={4}>
                        {team.memberIds.map((id) => (
                          <Badge
                            key={id}
                            variant="light"
                            color="gray"
                            radius="sm"
                            tt="none"
                            fw={500}
                          >
                            {agentName(id)}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {team.access === 'all'
                        ? t('teams.access.all')
                        : team.organizations.length === 0
                          ? t('teams.access.none')
                          : team.organizations
                              .map((e) =>
                                [e.organizationName, e.locationName, e.areaName]
                                  .filter(Boolean)
                                  .join(' › '),
                              )
                              .join(', ')}
                    </Text>
                    {team.access === 'organizations' && team.seeAllMemberIds.length > 0 && (
                      <Text size="xs" c="dimmed">
                        {t('teams.access.seeAll', {
                          names: team.seeAllMemberIds.map((id) => agentName(id) ?? '').join(', '),
                          count: team.seeAllMemberIds.length,
                        })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label={t('teams.access.edit', { name: team.name })}>
                        <ActionIcon
                          variant="subtle"
                          aria-label={t('teams.access.edit', { name: team.name })}
                          onClick={() => setEditing(team)}
                        >
                          <IconLock size={16} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label={t('admin.remove', { name: team.name })}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('admin.remove', { name: team.name })}
                          onClick={() => setDeleting(team)}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {editing && (
        <TeamAccessModal
          team={editing}
          agentName={agentName}
          onClose={() => setEditing(null)}
          onSaved={async (team) => {
            setEditing(null);
            notifications.show({
              color: 'green',
              message: t('teams.access.saved', { name: team.name }),
            });
            await refresh();
          }}
        />
      )}
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        title={t('teams.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('teams.deleteConfirm')}
        onConfirm={() => deleting && remove.mutate(deleting)}
        busy={remove.isPending}
        error={remove.error}
      >
        {t('teams.deleteExplain')}
      </ConfirmModal>
    </AdminPage>
  );
}
