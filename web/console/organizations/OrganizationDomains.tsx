// An organization's email domains: add (and then, when the agent asks, move the domain's existing
// customers in), remove. New customers of a domain join its organization automatically.
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsJoin, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DomainResult, Organization } from '../../../common/organization.ts';
import { ApiError } from '../../api/client.ts';
import { keys, organizationsApi } from '../../api/kunde.ts';
import { errorMessage } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';

export function OrganizationDomains({
  organization,
  canEdit,
}: {
  organization: Organization;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [domain, setDomain] = useState('');
  // The last domain added, while some of its existing customers are still elsewhere.
  const [pending, setPending] = useState<DomainResult | null>(null);

  const refresh = async (updated: Organization) => {
    queryClient.setQueryData(keys.organization(updated.id), updated);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.organizations }),
      queryClient.invalidateQueries({ queryKey: keys.customers }),
    ]);
  };

  const add = useMutation({
    mutationFn: () => organizationsApi.addDomain(organization.id, domain.trim()),
    onSuccess: async (result) => {
      setDomain('');
      setPending(result.matchingCustomers > 0 ? result : null);
      notifications.show({
        color: 'green',
        message: t('domains.added', { domain: result.domain, name: organization.name }),
      });
      await refresh(result.organization);
    },
  });

  const group = useMutation({
    mutationFn: (domainName: string) => organizationsApi.groupDomain(organization.id, domainName),
    onSuccess: async (result) => {
      setPending(null);
      notifications.show({
        color: 'green',
        message: t('domains.grouped', { count: result.moved, name: organization.name }),
      });
      await refresh(result.organization);
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });

  const remove = useMutation({
    mutationFn: (domainName: string) => organizationsApi.removeDomain(organization.id, domainName),
    onSuccess: async (_, domainName) => {
      if (pending?.domain === domainName) setPending(null);
      notifications.show({ color: 'gray', message: t('domains.removed', { domain: domainName }) });
      await queryClient.invalidateQueries({ queryKey: keys.organizations });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (domain.trim()) add.mutate();
  }

  const apiError = add.error instanceof ApiError ? add.error : null;
  const ownerId =
    apiError?.code === 'domain_taken' && typeof apiError.extra['organizationId'] === 'string'
      ? apiError.extra['organizationId']
      : null;
  const owner = useQuery({
    queryKey: keys.organization(ownerId ?? ''),
    queryFn: () => organizationsApi.get(ownerId ?? ''),
    enabled: ownerId !== null,
  });
  // The server names the domain `domain`, or `domains.0` when it refuses a public mail domain.
  const addError: ReactNode = !add.error ? undefined : ownerId ? (
    owner.data ? (
      <>
        {t('domains.takenBy', { name: owner.data.name })}{' '}
        <Anchor component={Link} to={`/organizations/${ownerId}`} size="xs">
          {t('domains.openOwner')}
        </Anchor>
      </>
    ) : (
      t('domains.taken')
    )
  ) : apiError && apiError.errors.length > 0 ? (
    apiError.errors.map((e) => localizeFieldError(e, t)).join('; ')
  ) : (
    errorMessage(add.error, t)
  );

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="domains-title">
      <Title order={2} size="h4" mb={4} id="domains-title">
        {t('organizations.domains')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('domains.intro')}
      </Text>
      <Stack gap="xs">
        {organization.domains.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('domains.none')}
          </Text>
        )}
        {organization.domains.map((name) => (
          <Group key={name} justify="space-between" wrap="nowrap" data-domain={name}>
            <Badge variant="light" color="blue" radius="sm" tt="none" fw={500} size="lg">
              {name}
            </Badge>
            {canEdit && (
              <Tooltip label={t('domains.remove', { domain: name })}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={t('domains.remove', { domain: name })}
                  loading={remove.isPending && remove.variables === name}
                  onClick={() => remove.mutate(name)}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        ))}
        {pending && (
          <Alert color="blue" variant="light" mt="xs" icon={<IconArrowsJoin size={18} />}>
            <Text size="sm" mb="xs">
              {t('domains.matching', { count: pending.matchingCustomers, domain: pending.domain })}
            </Text>
            <Group gap="xs">
              <Button
                size="xs"
                loading={group.isPending}
                onClick={() => group.mutate(pending.domain)}
              >
                {t('domains.moveExisting', {
                  count: pending.matchingCustomers,
                  name: organization.name,
                })}
              </Button>
              <Button size="xs" variant="subtle" color="gray" onClick={() => setPending(null)}>
                {t('domains.leave')}
              </Button>
            </Group>
          </Alert>
        )}
        {canEdit && (
          <form onSubmit={submit} noValidate>
            <Group gap="xs" align="flex-start" mt="xs" wrap="nowrap">
              <TextInput
                aria-label={t('domains.new')}
                placeholder={t('domains.placeholder')}
                value={domain}
                onChange={(event) => setDomain(event.currentTarget.value)}
                error={addError}
                disabled={add.isPending}
                style={{ flex: 1 }}
                autoComplete="off"
              />
              <Button
                type="submit"
                variant="light"
                leftSection={<IconPlus size={16} />}
                loading={add.isPending}
                disabled={!domain.trim()}
              >
                {t('domains.add')}
              </Button>
            </Group>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
