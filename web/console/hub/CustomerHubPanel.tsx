// The customer page's Customer Hub panel: whether their access is on, whether a password is set
// and when they last signed in, the organizations whose tickets they may see (remove one, add one
// with the organization picker, or grant their own organization in one click), and "Invite to
// Customer Hub". Shown only while the account's Hub is on.
import {
  ActionIcon,
  Badge,
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
import { IconMailForward, IconPlus, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../common/customer.ts';
import type { CustomerHub } from '../../../common/hub.ts';
import { hubApi, hubKeys, useHubSettings } from '../../api/hub.ts';
import { keys } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { OrganizationSelect } from '../../components/OrganizationSelect.tsx';
import { formatDateTime } from '../../i18n/index.ts';
import { useCan } from '../session.tsx';

export function CustomerHubPanel({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const settings = useHubSettings();
  const hub = useQuery({
    queryKey: hubKeys.customer(customer.id),
    queryFn: () => hubApi.customer(customer.id),
    enabled: settings.data?.enabled === true,
  });
  if (!settings.data) return null;
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="customer-hub-title">
      <Stack gap="md">
        <Title order={2} size="h4" id="customer-hub-title">
          {t('customerHub.panelTitle')}
        </Title>
        {!settings.data.enabled ? (
          <Group gap="xs">
            <Button variant="outline" leftSection={<IconMailForward size={16} />} disabled>
              {t('customerHub.invite')}
            </Button>
            <Text size="sm" c="dimmed">
              {t('customerHub.hubOff')}
            </Text>
          </Group>
        ) : (
          <>
            {hub.isError && <ErrorAlert error={hub.error} />}
            {hub.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
            {hub.data && <HubDetails customer={customer} hub={hub.data} />}
          </>
        )}
      </Stack>
    </Paper>
  );
}

function HubDetails({ customer, hub }: { customer: Customer; hub: CustomerHub }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canEdit = useCan('customers.create_edit');
  const [adding, setAdding] = useState<string | null>(null);
  const grantedIds = hub.organizations.map((o) => o.id);
  const grants = useMutation({
    mutationFn: (organizationIds: string[]) => hubApi.setGrants(customer.id, { organizationIds }),
    onSuccess: async (next) => {
      queryClient.setQueryData(hubKeys.customer(customer.id), next);
      setAdding(null);
      notifications.show({ color: 'green', message: t('customerHub.grantsSaved') });
      await queryClient.invalidateQueries({ queryKey: keys.audit(customer.id) });
    },
  });
  const invite = useMutation({
    mutationFn: () => hubApi.invite(customer.id),
    onSuccess: () =>
      notifications.show({
        color: 'green',
        message: t('customerHub.invitationSent', { email: customer.email ?? '' }),
      }),
  });
  const ownOrganization =
    customer.organizationId && !grantedIds.includes(customer.organizationId)
      ? customer.organizationId
      : null;
  const inviteBlocked = !customer.email
    ? t('customerHub.inviteNoEmail')
    : !customer.hubAccess
      ? t('customerHub.inviteAccessOff')
      : customer.status !== 'active'
        ? t('customerHub.inviteDeactivated')
        : null;

  return (
    <Stack gap="md">
      <Group gap="lg" wrap="wrap">
        <Group gap={6}>
          <Text size="sm" c="dimmed">
            {t('customerHub.access')}:
          </Text>
          {/* The customer's own record: the form's switch updates it at once. */}
          <Badge color={customer.hubAccess ? 'green' : 'gray'} variant="light">
            {customer.hubAccess ? t('customerHub.accessOn') : t('customerHub.accessOff')}
          </Badge>
        </Group>
        <Text size="sm">
          <Text span c="dimmed">
            {t('customerHub.password')}:
          </Text>{' '}
          {hub.passwordSet ? t('customerHub.passwordSet') : t('customerHub.passwordNotSet')}
        </Text>
        <Text size="sm">
          <Text span c="dimmed">
            {t('customerHub.lastSignIn')}:
          </Text>{' '}
          {hub.lastSignInAt ? formatDateTime(hub.lastSignInAt) : t('customerHub.never')}
        </Text>
      </Group>

      <Stack gap="xs">
        <Text fw={600} size="sm">
          {t('customerHub.organizations')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('customerHub.organizationsHint')}
        </Text>
        {grants.isError && <ErrorAlert error={grants.error} />}
        {hub.organizations.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('customerHub.noOrganizations')}
          </Text>
        ) : (
          <Table aria-label={t('customerHub.organizations')} withRowBorders={false}>
            <Table.Tbody>
              {hub.organizations.map((organization) => (
                <Table.Tr key={organization.id}>
                  <Table.Td>{organization.name}</Table.Td>
                  <Table.Td w={40}>
                    {canEdit && (
                      <Tooltip label={t('customerHub.remove', { name: organization.name })}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('customerHub.remove', { name: organization.name })}
                          loading={grants.isPending}
                          onClick={() =>
                            grants.mutate(grantedIds.filter((id) => id !== organization.id))
                          }
                        >
                          <IconX size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {canEdit && (
          <Group gap="xs" align="flex-end" wrap="wrap">
            <OrganizationSelect
              label={t('customerHub.addOrganization')}
              value={adding}
              onChange={(value) => setAdding(value)}
              w={280}
              clearable
              disabled={grants.isPending}
            />
            <Button
              variant="light"
              leftSection={<IconPlus size={16} />}
              disabled={!adding || grantedIds.includes(adding)}
              loading={grants.isPending}
              onClick={() => adding && grants.mutate([...grantedIds, adding])}
            >
              {t('customerHub.add')}
            </Button>
            {ownOrganization && (
              <Button
                variant="default"
                loading={grants.isPending}
                onClick={() => grants.mutate([...grantedIds, ownOrganization])}
              >
                {t('customerHub.grantOwn')}
              </Button>
            )}
          </Group>
        )}
      </Stack>

      {canEdit && (
        <Group gap="xs">
          <Tooltip label={inviteBlocked} disabled={!inviteBlocked}>
            <span>
              <Button
                variant="outline"
                leftSection={<IconMailForward size={16} />}
                disabled={inviteBlocked !== null}
                loading={invite.isPending}
                onClick={() => invite.mutate()}
              >
                {t('customerHub.invite')}
              </Button>
            </span>
          </Tooltip>
          {inviteBlocked && (
            <Text size="xs" c="dimmed">
              {inviteBlocked}
            </Text>
          )}
        </Group>
      )}
      {invite.isError && <ErrorAlert error={invite.error} />}
    </Stack>
  );
}
