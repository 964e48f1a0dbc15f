// The Notification Groups tab of an organization: add a group (name, description), edit its info,
// choose the events that mail it, and add or remove members (the organization's contacts, agents,
// other addresses). A deactivated or erased member is shown as such and gets no mail.
import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  NOTIFICATION_EVENTS,
  type NotificationGroup,
  type NotificationMemberAdd,
} from '../../../common/notification-group.ts';
import type { Organization } from '../../../common/organization.ts';
import { contractKeys, groupsApi } from '../../api/contracts.ts';
import { customersApi } from '../../api/kunde.ts';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert.tsx';
import { useFieldError } from '../contracts/ContractFormModal.tsx';
import { useAgentOptions } from '../tickets/ticket-ui.tsx';

export function OrganizationNotificationGroups({
  organization,
  canEdit,
}: {
  organization: Organization;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const groups = useQuery({
    queryKey: contractKeys.groups(organization.id),
    queryFn: () => groupsApi.list(organization.id),
  });
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => groupsApi.create(organization.id, { name, description: description || null }),
    onSuccess: async () => {
      setName('');
      setDescription('');
      await queryClient.invalidateQueries({ queryKey: contractKeys.groups(organization.id) });
    },
  });
  const fieldError = useFieldError(create.error);
  return (
    <Stack gap="lg">
      {groups.isError && <ErrorAlert error={groups.error} />}
      {groups.data?.items.length === 0 && <Text c="dimmed">{t('groups.empty')}</Text>}
      {(groups.data?.items ?? []).map((group) => (
        <GroupCard
          key={group.id}
          group={group}
          organizationId={organization.id}
          canEdit={canEdit}
        />
      ))}
      {canEdit && (
        <Paper
          withBorder
          radius="md"
          p="lg"
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Title order={2} size="h5" mb="sm">
            {t('groups.new')}
          </Title>
          <Group align="flex-end">
            <TextInput
              label={t('groups.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError('name')}
            />
            <TextInput
              label={t('groups.description')}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button type="submit" leftSection={<IconPlus size={14} />} loading={create.isPending}>
              {t('groups.create')}
            </Button>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}

function GroupCard({
  group,
  organizationId,
  canEdit,
}: {
  group: NotificationGroup;
  organizationId: string;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const agents = useAgentOptions();
  const contacts = useQuery({
    queryKey: ['customers', 'list', { organizationId, status: 'active', limit: 200 }],
    queryFn: () => customersApi.list({ organizationId, status: 'active', limit: 200 }),
    enabled: canEdit,
  });
  const [kind, setKind] = useState<'customer' | 'agent' | 'email'>('customer');
  const [value, setValue] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [info, setInfo] = useState({ name: group.name, description: group.description ?? '' });
  const [events, setEvents] = useState(group.events);
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: contractKeys.groups(organizationId) });
  const onError = (error: unknown) =>
    notifications.show({ color: 'red', message: errorMessage(error, t) });
  const update = useMutation({
    mutationFn: (patch: Parameters<typeof groupsApi.update>[1]) =>
      groupsApi.update(group.id, patch),
    onSuccess: refresh,
    onError,
  });
  const add = useMutation({
    mutationFn: (body: NotificationMemberAdd) => groupsApi.addMember(group.id, body),
    onSuccess: async () => {
      setValue(null);
      setEmail('');
      await refresh();
    },
  });
  const removeMember = useMutation({
    mutationFn: (id: string) => groupsApi.removeMember(group.id, id),
    onSuccess: refresh,
    onError,
  });
  const remove = useMutation({
    mutationFn: () => groupsApi.remove(group.id),
    onSuccess: refresh,
    onError,
  });
  const addError = useFieldError(add.error);
  const contactOptions = (contacts.data?.items ?? []).map((c) => ({
    value: c.id,
    label: [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.id,
  }));
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={group.name}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          {canEdit ? (
            <Group align="flex-end">
              <TextInput
                label={t('groups.name')}
                value={info.name}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setInfo((i) => ({ ...i, name: v }));
                }}
              />
              <TextInput
                label={t('groups.description')}
                value={info.description}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setInfo((i) => ({ ...i, description: v }));
                }}
              />
              <Button
                variant="light"
                onClick={() =>
                  update.mutate({ name: info.name, description: info.description || null })
                }
              >
                {t('groups.saveInfo')}
              </Button>
            </Group>
          ) : (
            <Stack gap={0}>
              <Title order={2} size="h5">
                {group.name}
              </Title>
              {group.description && (
                <Text size="sm" c="dimmed">
                  {group.description}
                </Text>
              )}
            </Stack>
          )}
          {canEdit && (
            <Button variant="subtle" color="red" onClick={() => remove.mutate()}>
              {t('groups.delete')}
            </Button>
          )}
        </Group>
        <Checkbox.Group
          label={t('groups.events')}
          value={events}
          onChange={(chosen) => {
            if (!canEdit) return;
            // Shown at once; the server's answer refreshes the group.
            setEvents(chosen);
            update.mutate({ events: chosen });
          }}
        >
          <Group mt={4}>
            {NOTIFICATION_EVENTS.map((event) => (
              <Checkbox
                key={event}
                value={event}
                label={t(`groups.event.${event}`)}
                disabled={!canEdit}
              />
            ))}
          </Group>
        </Checkbox.Group>
        <Text size="sm" fw={500}>
          {t('groups.members')}
        </Text>
        {group.members.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('groups.noMembers')}
          </Text>
        )}
        {group.members.map((member) => (
          <Group key={member.id} gap="xs">
            <Badge
              variant="light"
              color={
                member.kind === 'agent' ? 'blue' : member.kind === 'customer' ? 'teal' : 'gray'
              }
            >
              {t(`groups.kind.${member.kind}`)}
            </Badge>
            <Text size="sm">{member.name || t('groups.erased')}</Text>
            {member.email && member.kind !== 'email' && (
              <Text size="xs" c="dimmed">
                {member.email}
              </Text>
            )}
            {!member.active && (
              <Badge color="red" variant="outline" size="xs">
                {t('groups.inactive')}
              </Badge>
            )}
            {canEdit && (
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('groups.removeMember', { name: member.name })}
                onClick={() => removeMember.mutate(member.id)}
              >
                <IconTrash size={14} />
              </ActionIcon>
            )}
          </Group>
        ))}
        {canEdit && (
          <Group align="flex-end">
            <SegmentedControl
              value={kind}
              onChange={(v) => setKind(v)}
              data={[
                { value: 'customer', label: t('groups.kind.customer') },
                { value: 'agent', label: t('groups.kind.agent') },
                { value: 'email', label: t('groups.kind.email') },
              ]}
            />
            {kind === 'email' ? (
              <TextInput
                aria-label={t('groups.kind.email')}
                placeholder="name@example.com"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                error={addError('email')}
              />
            ) : (
              <Select
                aria-label={t(`groups.kind.${kind}`)}
                searchable
                data={kind === 'agent' ? agents : contactOptions}
                value={value}
                onChange={setValue}
                error={addError(kind === 'agent' ? 'agentId' : 'customerId')}
              />
            )}
            <Button
              variant="light"
              loading={add.isPending}
              onClick={() =>
                add.mutate(
                  kind === 'email'
                    ? { email }
                    : kind === 'agent'
                      ? { agentId: value ?? '' }
                      : { customerId: value ?? '' },
                )
              }
            >
              {t('groups.addMember')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
