// Administration → Roles: the built-in Administrator and Agent and the account's own roles, with
// how many permissions and agents each has; the role editor; deleting a role nobody holds.
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
import { IconEye, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoleSummary } from '../../../common/agents.ts';
import { PERMISSIONS } from '../../../common/permissions.ts';
import { agentKeys, rolesApi } from '../../api/agents.ts';
import { keys } from '../../api/kunde.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { AdminPage } from './AdminPage.tsx';
import { RoleEditorModal } from './RoleEditorModal.tsx';

export function RolesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roles = useQuery({ queryKey: agentKeys.roles, queryFn: rolesApi.list });
  const [editing, setEditing] = useState<RoleSummary | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RoleSummary | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: agentKeys.roles });
    await queryClient.invalidateQueries({ queryKey: agentKeys.users });
    // The administrator's own role may have changed: their session's permissions follow.
    await queryClient.invalidateQueries({ queryKey: keys.session });
  };

  const remove = useMutation({
    mutationFn: (role: RoleSummary) => rolesApi.remove(role.id),
    onSuccess: async (_, role) => {
      setDeleting(null);
      notifications.show({ color: 'gray', message: t('roles.deleted', { name: role.name }) });
      await refresh();
    },
  });

  return (
    <AdminPage
      title={t('roles.title')}
      description={t('roles.intro')}
      permission="agents.manage"
      actions={
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
          {t('roles.add')}
        </Button>
      }
    >
      {roles.isError && <ErrorAlert error={roles.error} />}
      {roles.isPending && <Loader aria-label={t('app.loading')} />}
      {roles.data && (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table verticalSpacing="sm" horizontalSpacing="md">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th>{t('roles.name')}</Table.Th>
                <Table.Th>{t('roles.permissions')}</Table.Th>
                <Table.Th>{t('roles.agentCount')}</Table.Th>
                <Table.Th w={1}>{t('customers.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {roles.data.map((role) => {
                const readOnly = role.builtIn === 'administrator';
                return (
                  <Table.Tr key={role.id}>
                    <Table.Td>
                      <Group gap="xs">
                        <Text size="sm" fw={600}>
                          {role.name}
                        </Text>
                        {role.builtIn && (
                          <Badge variant="light" color="gray" size="sm">
                            {t('roles.builtIn')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {readOnly
                          ? t('roles.allPermissions')
                          : t('roles.permissionCount', {
                              count: role.permissions.length,
                              total: PERMISSIONS.length,
                            })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{role.agentCount}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Tooltip label={t('roles.edit', { name: role.name })}>
                          <ActionIcon
                            variant="subtle"
                            aria-label={t('roles.edit', { name: role.name })}
                            onClick={() => setEditing(role)}
                          >
                            {readOnly ? <IconEye size={16} /> : <IconPencil size={16} />}
                          </ActionIcon>
                        </Tooltip>
                        {!role.builtIn && (
                          <Tooltip label={t('roles.delete', { name: role.name })}>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={t('roles.delete', { name: role.name })}
                              onClick={() => setDeleting(role)}
                            >
                              <IconTrash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {editing && (
        <RoleEditorModal
          role={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={async (role) => {
            notifications.show({
              color: 'green',
              message: t(editing === 'new' ? 'roles.created' : 'roles.saved', { name: role.name }),
            });
            setEditing(null);
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
        title={t('roles.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('roles.deleteConfirm')}
        onConfirm={() => deleting && remove.mutate(deleting)}
        busy={remove.isPending}
        error={remove.error}
      >
        {deleting && deleting.agentCount > 0
          ? t('roles.deleteHeld', { count: deleting.agentCount })
          : t('roles.deleteExplain')}
      </ConfirmModal>
    </AdminPage>
  );
}
