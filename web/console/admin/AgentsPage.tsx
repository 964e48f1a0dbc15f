// Administration → Agents: the support team (name, email, role, teams, language, status), adding
// or inviting an agent, editing them, sending a password link, deactivating (with confirmation:
// it logs them out at once) and reactivating.
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconPencil, IconPlus, IconUserOff, IconUserCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../common/auth.ts';
import { agentAdminApi, agentKeys, rolesApi } from '../../api/agents.ts';
import { keys } from '../../api/kunde.ts';
import { teamsApi, ticketKeys } from '../../api/tickets.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useSession } from '../session.tsx';
import { AdminPage } from './AdminPage.tsx';
import { AgentFormModal } from './AgentFormModal.tsx';

const STATUS_COLOR = { active: 'green', invited: 'blue', deactivated: 'gray' } as const;

export function AgentsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: agentKeys.users, queryFn: agentAdminApi.list });
  const roles = useQuery({ queryKey: agentKeys.roles, queryFn: rolesApi.list });
  const teams = useQuery({
    queryKey: ticketKeys.teams,
    queryFn: async () => (await teamsApi.list()).items,
  });
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [deactivating, setDeactivating] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: agentKeys.users });
    await queryClient.invalidateQueries({ queryKey: agentKeys.roles });
    await queryClient.invalidateQueries({ queryKey: ticketKeys.agents });
    await queryClient.invalidateQueries({ queryKey: ticketKeys.teams });
    // An administrator who changed their own role or name sees it at once.
    await queryClient.invalidateQueries({ queryKey: keys.session });
  };

  const deactivate = useMutation({
    mutationFn: (agent: User) => agentAdminApi.deactivate(agent.id),
    onSuccess: async (agent) => {
      setDeactivating(null);
      notifications.show({ color: 'gray', message: t('agents.deactivated', { name: agent.name }) });
      await refresh();
    },
  });
  const reactivate = useMutation({
    mutationFn: (agent: User) => agentAdminApi.reactivate(agent.id),
    onSuccess: async (agent) => {
      notifications.show({
        color: 'green',
        message: t('agents.reactivated', { name: agent.name }),
      });
      await refresh();
    },
  });
  const reset = useMutation({
    mutationFn: (agent: User) => agentAdminApi.resetPassword(agent.id),
    onSuccess: (_, agent) => {
      setResetting(null);
      notifications.show({ color: 'green', message: t('agents.resetSent', { name: agent.name }) });
    },
  });

  const teamName = (id: string) => teams.data?.find((team) => team.id === id)?.name ?? id;
  const statusLabel = (status: User['status']) =>
    status === 'active'
      ? t('agents.statusActive')
      : status === 'invited'
        ? t('agents.statusInvited')
        : t('agents.statusDeactivated');

  const error = users.error ?? roles.error ?? teams.error;
  return (
    <AdminPage
      title={t('agents.title')}
      description={t('agents.intro')}
      permission="agents.manage"
      actions={
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
          {t('agents.add')}
        </Button>
      }
    >
      {error && <ErrorAlert error={error} />}
      {reactivate.isError && <ErrorAlert error={reactivate.error} />}
      {users.isPending && <Loader aria-label={t('app.loading')} />}
      {users.data && (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table verticalSpacing="sm" horizontalSpacing="md">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th>{t('agents.name')}</Table.Th>
                <Table.Th>{t('agents.email')}</Table.Th>
                <Table.Th>{t('agents.role')}</Table.Th>
                <Table.Th>{t('agents.teams')}</Table.Th>
                <Table.Th>{t('agents.language')}</Table.Th>
                <Table.Th>{t('agents.status')}</Table.Th>
                <Table.Th w={1}>{t('customers.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('agents.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {users.data.map((agent) => (
                <Table.Tr key={agent.id}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {agent.name}
                      {agent.id === session.user.id && (
                        <Text span size="xs" c="dimmed" fw={400}>
                          {' '}
                          ({t('agents.you')})
                        </Text>
                      )}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{agent.email}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{agent.roleName}</Text>
                  </Table.Td>
                  <Table.Td>
                    {agent.teamIds.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('agents.noTeams')}
                      </Text>
                    ) : (
                      <Group gap={4}>
                        {agent.teamIds.map((id) => (
                          <Badge
                            key={id}
                            variant="light"
                            color="gray"
                            radius="sm"
                            tt="none"
                            fw={500}
                          >
                            {teamName(id)}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`language.${agent.locale}`)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[agent.status]} variant="light">
                      {statusLabel(agent.status)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label={t('agents.edit', { name: agent.name })}>
                        <ActionIcon
                          variant="subtle"
                          aria-label={t('agents.edit', { name: agent.name })}
                          onClick={() => setEditing(agent)}
                        >
                          <IconPencil size={16} />
                        </ActionIcon>
                      </Tooltip>
                      {agent.status !== 'deactivated' && (
                        <Tooltip label={t('agents.resetPassword')}>
                          <ActionIcon
                            variant="subtle"
                            aria-label={`${t('agents.resetPassword')}: ${agent.name}`}
                            onClick={() => setResetting(agent)}
                          >
                            <IconKey size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                      {agent.status === 'deactivated' ? (
                        <Tooltip label={t('agents.reactivate')}>
                          <ActionIcon
                            variant="subtle"
                            color="green"
                            aria-label={`${t('agents.reactivate')}: ${agent.name}`}
                            loading={reactivate.isPending && reactivate.variables?.id === agent.id}
                            onClick={() => reactivate.mutate(agent)}
                          >
                            <IconUserCheck size={16} />
                          </ActionIcon>
                        </Tooltip>
                      ) : (
                        <Tooltip label={t('agents.deactivate')}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`${t('agents.deactivate')}: ${agent.name}`}
                            onClick={() => setDeactivating(agent)}
                          >
                            <IconUserOff size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {editing && roles.data && (
        <AgentFormModal
          agent={editing === 'new' ? undefined : editing}
          roles={roles.data}
          teams={teams.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={async (agent, invited) => {
            setEditing(null);
            notifications.show({
              color: 'green',
              message: t(
                invited ? 'agents.invited' : editing === 'new' ? 'agents.created' : 'agents.saved',
                { name: agent.name },
              ),
            });
            await refresh();
          }}
        />
      )}
      <ConfirmModal
        opened={deactivating !== null}
        onClose={() => {
          setDeactivating(null);
          deactivate.reset();
        }}
        title={t('agents.deactivateTitle', { name: deactivating?.name ?? '' })}
        confirmLabel={t('agents.deactivate')}
        onConfirm={() => deactivating && deactivate.mutate(deactivating)}
        busy={deactivate.isPending}
        error={deactivate.error}
      >
        {t('agents.deactivateExplain')}
      </ConfirmModal>
      <ConfirmModal
        opened={resetting !== null}
        onClose={() => {
          setResetting(null);
          reset.reset();
        }}
        title={t('agents.resetTitle', { name: resetting?.name ?? '' })}
        confirmLabel={t('agents.resetConfirm')}
        onConfirm={() => resetting && reset.mutate(resetting)}
        busy={reset.isPending}
        error={reset.error}
      >
        {t('agents.resetExplain', { email: resetting?.email ?? '' })}
      </ConfirmModal>
    </AdminPage>
  );
}
