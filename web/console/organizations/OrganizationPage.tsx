// One organization: name, notes and custom fields (Edit), its email domains, its customers, and
// Delete, which says how many customers will move to "No organization" before it does anything.
// Tabs (?tab=) hold its Customer Contacts, Locations, Contracts and Notification Groups beside
// that overview. Merge… folds another organization into this one (issue 15), with an undo banner
// after; the merged-away organization's page opens its survivor's.
import {
  Anchor,
  Badge,
  Button,
  DataList,
  Group,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconArrowMerge, IconPencil, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import type { Organization } from '../../../common/organization.ts';
import { fieldLabel, useCustomFields } from '../../api/account-data.ts';
import { keys, organizationsApi } from '../../api/kunde.ts';
import { CustomFieldValueText } from '../../components/CustomFieldValue.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { isMissingObject, NotFound } from '../NotFoundPage.tsx';
import { formatDateTime, formatNumber } from '../../i18n/index.ts';
import { useCan } from '../session.tsx';
import { OrganizationContacts } from './OrganizationContacts.tsx';
import { OrganizationCustomers } from './OrganizationCustomers.tsx';
import { OrganizationDomains } from './OrganizationDomains.tsx';
import { OrganizationFormModal } from './OrganizationFormModal.tsx';
import { OrganizationLocations } from './OrganizationLocations.tsx';
import { OrganizationRouting } from './OrganizationRouting.tsx';
import { OrganizationContracts } from './OrganizationContracts.tsx';
import { OrganizationNotificationGroups } from './OrganizationNotificationGroups.tsx';
import { OrganizationMergeBanner } from './OrganizationMergeBanner.tsx';
import { OrganizationMergeModal } from './OrganizationMergeModal.tsx';

function BackLink() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/organizations" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} />
        {t('organizations.back')}
      </Group>
    </Anchor>
  );
}

export function OrganizationPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const organization = useQuery({
    queryKey: keys.organization(id),
    queryFn: () => organizationsApi.get(id),
  });
  if (organization.isError) {
    if (isMissingObject(organization.error)) {
      return (
        <NotFound
          title={t('notFound.organizationTitle')}
          message={t('notFound.organizationMessage')}
          backTo="/organizations"
          back={t('notFound.organizationBack')}
        />
      );
    }
    return (
      <Stack maw={1100}>
        <BackLink />
        <ErrorAlert error={organization.error} />
      </Stack>
    );
  }

  if (!organization.data) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  // A merged-away organization is a pointer: its page is its survivor's.
  if (organization.data.mergedInto)
    return <Navigate to={`/organizations/${organization.data.mergedInto}`} replace />;
  return <OrganizationDetails organization={organization.data} />;
}

function OrganizationDetails({ organization }: { organization: Organization }) {
  const { t } = useTranslation();
  const canEdit = useCan('customers.create_edit');
  // Deleting an organization needs customers.delete; an agent without it is not offered it.
  const canDelete = useCan('customers.delete');
  const fields = useCustomFields('organization');
  const [editing, edit] = useDisclosure(false);
  const [deleting, confirmDelete] = useDisclosure(false);
  const [merging, mergeDialog] = useDisclosure(false);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'overview';
  const setTab = (value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === 'overview') next.delete('tab');
        else next.set('tab', value);
        return next;
      },
      { replace: true },
    );
  const defined = new Set((fields.data ?? []).map((field) => field.key));
  const freeform = Object.entries(organization.customFields).filter(
    ([key, value]) => !defined.has(key) && value !== null && value !== '',
  );

  return (
    <Stack gap="lg" maw={1100}>
      <BackLink />
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} size="h2">
              {organization.name}
            </Title>
            {organization.autoCreated && (
              <Badge variant="light" color="violet">
                {t('organizations.autoCreated')}
              </Badge>
            )}
          </Group>
          <Text c="dimmed" size="sm">
            {t('customers.count', {
              count: organization.customerCount,
              formatted: formatNumber(organization.customerCount),
            })}{' '}
            · {t('customer.createdAt')} {formatDateTime(organization.createdAt)}
          </Text>
        </Stack>
        {(canEdit || canDelete) && (
          <Group gap="xs">
            {canEdit && (
              <Button leftSection={<IconPencil size={16} />} onClick={edit.open}>
                {t('customer.edit')}
              </Button>
            )}
            {canDelete && (
              <Button
                variant="light"
                leftSection={<IconArrowMerge size={16} />}
                onClick={mergeDialog.open}
              >
                {t('orgMerge.open')}
              </Button>
            )}
            {canDelete && (
              <Button
                variant="light"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={confirmDelete.open}
              >
                {t('organizations.delete')}
              </Button>
            )}
          </Group>
        )}
      </Group>

      <OrganizationMergeBanner organization={organization} />

      {/* Issue 12: the seed's tabs. The overview keeps what the page showed before. */}
      <Tabs value={tab} onChange={(value) => setTab(value ?? 'overview')} keepMounted={false}>
        <Tabs.List aria-label={t('organizationTabs.label')} mb="lg">
          <Tabs.Tab value="overview">{t('organizationTabs.overview')}</Tabs.Tab>
          <Tabs.Tab value="contacts">{t('contacts.tab')}</Tabs.Tab>
          <Tabs.Tab value="locations">{t('locations.tab')}</Tabs.Tab>
          <Tabs.Tab value="contracts">{t('contracts.title')}</Tabs.Tab>
          <Tabs.Tab value="groups">{t('groups.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="contracts">
          <OrganizationContracts organization={organization} canEdit={canEdit} />
        </Tabs.Panel>
        <Tabs.Panel value="groups">
          <OrganizationNotificationGroups organization={organization} canEdit={canEdit} />
        </Tabs.Panel>
        <Tabs.Panel value="contacts">
          <OrganizationContacts organization={organization} canEdit={canEdit} />
        </Tabs.Panel>
        <Tabs.Panel value="locations">
          <OrganizationLocations organization={organization} canEdit={canEdit} />
        </Tabs.Panel>
        <Tabs.Panel value="overview">
          <Stack gap="lg">
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <Paper
                withBorder
                radius="md"
                p="lg"
                component="section"
                aria-labelledby="org-details"
              >
                <Title order={2} size="h4" mb="md" id="org-details">
                  {t('customer.details')}
                </Title>
                <DataList labelWidth={150}>
                  <DataList.Item>
                    <DataList.ItemLabel>{t('organizations.notes')}</DataList.ItemLabel>
                    <DataList.ItemValue style={{ whiteSpace: 'pre-wrap' }}>
                      {organization.notes || t('app.emptyValue')}
                    </DataList.ItemValue>
                  </DataList.Item>
                  {(fields.data ?? []).map((field) => (
                    <DataList.Item key={field.id}>
                      <DataList.ItemLabel>{fieldLabel(field)}</DataList.ItemLabel>
                      <DataList.ItemValue>
                        <CustomFieldValueText
                          field={field}
                          value={organization.customFields[field.key]}
                        />
                      </DataList.ItemValue>
                    </DataList.Item>
                  ))}
                  {freeform.map(([key, value]) => (
                    <DataList.Item key={key}>
                      <DataList.ItemLabel>{key}</DataList.ItemLabel>
                      <DataList.ItemValue>
                        <CustomFieldValueText field={{ type: 'text' }} value={value} />
                      </DataList.ItemValue>
                    </DataList.Item>
                  ))}
                </DataList>
              </Paper>
              <OrganizationDomains organization={organization} canEdit={canEdit} />
            </SimpleGrid>

            <OrganizationRouting organization={organization} />

            <OrganizationCustomers organization={organization} canEdit={canEdit} />
          </Stack>
        </Tabs.Panel>
      </Tabs>

      {canEdit && (
        <OrganizationFormModal opened={editing} onClose={edit.close} organization={organization} />
      )}
      {canDelete && (
        <OrganizationMergeModal
          opened={merging}
          onClose={mergeDialog.close}
          organization={organization}
        />
      )}
      {canDelete && (
        <DeleteOrganizationModal
          opened={deleting}
          onClose={confirmDelete.close}
          organization={organization}
        />
      )}
    </Stack>
  );
}

function DeleteOrganizationModal({
  opened,
  onClose,
  organization,
}: {
  opened: boolean;
  onClose: () => void;
  organization: Organization;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => organizationsApi.remove(organization.id),
    onSuccess: async ({ movedCustomers }) => {
      notifications.show({
        color: 'gray',
        message: t('organizations.deleted', { name: organization.name, count: movedCustomers }),
      });
      onClose();
      await navigate('/organizations');
      queryClient.removeQueries({ queryKey: keys.organization(organization.id) });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.organizations }),
        queryClient.invalidateQueries({ queryKey: keys.customers }),
      ]);
    },
  });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>{t('organizations.deleteTitle', { name: organization.name })}</Text>}
    >
      <Stack>
        {remove.isError && <ErrorAlert error={remove.error} />}
        <Text size="sm">
          {t('organizations.deleteExplain', { count: organization.customerCount })}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={remove.isPending}>
            {t('app.cancel')}
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
            {t('organizations.deleteConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
