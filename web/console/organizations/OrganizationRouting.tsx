// An organization's routing rules: tickets its customers create go straight to an agent or a
// team (the first rule wins). Listed for everyone; added and removed with "manage settings".
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconHeadset, IconPlus, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Organization } from '../../../common/organization.ts';
import { ApiError } from '../../api/client.ts';
import type { RoutingRule } from '../../../common/ticket.ts';
import { routingRulesApi, ticketKeys } from '../../api/tickets.ts';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { useCan } from '../session.tsx';
import { useAgentNames, useAgentOptions, useTeams } from '../tickets/ticket-ui.tsx';

export function OrganizationRouting({ organization }: { organization: Organization }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canEdit = useCan('settings.manage');
  const [target, setTarget] = useState<string | null>(null);
  const rules = useQuery({
    queryKey: ticketKeys.rules(organization.id),
    queryFn: () => routingRulesApi.list(organization.id),
    select: (page) => page.items,
  });
  const teams = useTeams();
  const agentName = useAgentNames();
  const agentOptions = useAgentOptions();
  const teamName = (id: string) =>
    teams.data?.find((team) => team.id === id)?.name ?? t('tickets.routing.unknownTeam');
  const ruleName = (rule: RoutingRule) =>
    rule.teamId ? teamName(rule.teamId) : (agentName(rule.assigneeId) ?? '');
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: ticketKeys.rules(organization.id) });

  const add = useMutation({
    mutationFn: (value: string) => {
      const [kind, id = ''] = value.split(':');
      return routingRulesApi.create(
        organization.id,
        kind === 'team' ? { teamId: id } : { assigneeId: id },
      );
    },
    onSuccess: async (rule) => {
      setTarget(null);
      notifications.show({
        color: 'green',
        message: t('tickets.routing.added', {
          organization: organization.name,
          name: ruleName(rule),
        }),
      });
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (rule: RoutingRule) => routingRulesApi.remove(organization.id, rule.id),
    onSuccess: async (_, rule) => {
      notifications.show({
        color: 'gray',
        message: t('tickets.routing.removed', { name: ruleName(rule) }),
      });
      await refresh();
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (target) add.mutate(target);
  }

  const choices = [
    {
      group: t('tickets.routing.agents'),
      items: agentOptions.map((option) => ({
        value: `agent:${option.value}`,
        label: option.label,
      })),
    },
    {
      group: t('tickets.routing.teams'),
      items: (teams.data ?? []).map((team) => ({ value: `team:${team.id}`, label: team.name })),
    },
  ].filter((group) => group.items.length > 0);
  const addError =
    add.error instanceof ApiError && add.error.errors.length
      ? add.error.errors.map((e) => localizeFieldError(e, t)).join('; ')
      : undefined;

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="routing-title">
      <Title order={2} size="h4" mb={4} id="routing-title">
        {t('tickets.routing.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('tickets.routing.intro')}
      </Text>
      <Stack gap="xs">
        {rules.isError && <ErrorAlert error={rules.error} />}
        {rules.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('tickets.routing.none')}
          </Text>
        )}
        {rules.data?.map((rule, index) => (
          <Group key={rule.id} justify="space-between" wrap="nowrap" data-rule={ruleName(rule)}>
            <Group gap="xs" wrap="nowrap">
              <Badge variant="light" color="gray" radius="sm" size="sm" w={28} px={0}>
                {index + 1}
              </Badge>
              {rule.teamId ? (
                <IconUsersGroup size={16} aria-hidden />
              ) : (
                <IconHeadset size={16} aria-hidden />
              )}
              <Text size="sm">
                {rule.teamId
                  ? t('tickets.routing.toTeam', { name: ruleName(rule) })
                  : t('tickets.routing.toAgent', { name: ruleName(rule) })}
              </Text>
            </Group>
            {canEdit && (
              <Tooltip label={t('tickets.routing.remove', { name: ruleName(rule) })}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={t('tickets.routing.remove', { name: ruleName(rule) })}
                  loading={remove.isPending && remove.variables.id === rule.id}
                  onClick={() => remove.mutate(rule)}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        ))}
        {canEdit && (
          <form onSubmit={submit} noValidate>
            <Group gap="xs" align="flex-start" mt="xs" wrap="nowrap">
              <Select
                aria-label={t('tickets.routing.assignTo')}
                placeholder={t('tickets.routing.choose')}
                data={choices}
                value={target}
                onChange={setTarget}
                searchable
                nothingFoundMessage={t('tickets.noMatch')}
                error={addError}
                style={{ flex: 1 }}
              />
              <Button
                type="submit"
                variant="light"
                leftSection={<IconPlus size={16} />}
                loading={add.isPending}
                disabled={!target}
              >
                {t('tickets.routing.add')}
              </Button>
            </Group>
            {add.isError && !addError && <ErrorAlert error={add.error} />}
          </form>
        )}
      </Stack>
    </Paper>
  );
}
