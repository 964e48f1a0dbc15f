// Organizations: search by name or domain (?q=), the count, cursor paging, New organization, and
// per row the name (with an "Auto-created" badge), domains and how many customers belong.
import {
  Anchor,
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
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Organization } from '../../../common/organization.ts';
import { keys, organizationsApi } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ListFooter } from '../../components/DataList.tsx';
import { useListState } from '../../components/list-state.ts';
import { UrlSearchBox } from '../../components/paging.tsx';
import { formatNumber } from '../../i18n/index.ts';
import { useCan } from '../session.tsx';
import { OrganizationFormModal } from './OrganizationFormModal.tsx';

/** The API lists organizations by name only: the list state has that one sort. */
const ORGANIZATION_SORTS = ['name'] as const;

export function OrganizationsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  const canEdit = useCan('customers.create_edit');
  const [creating, { open, close }] = useDisclosure(false);
  const navigate = useNavigate();

  return (
    <Stack gap="md" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('organizations.title')}
        </Title>
        {canEdit && (
          <Button leftSection={<IconPlus size={16} />} onClick={open}>
            {t('organizations.new')}
          </Button>
        )}
      </Group>
      <UrlSearchBox
        label={t('customers.search')}
        placeholder={t('organizations.searchPlaceholder')}
      />
      <OrganizationTable key={q} q={q} />
      <OrganizationFormModal
        opened={creating}
        onClose={close}
        onSaved={(organization) => void navigate(`/organizations/${organization.id}`)}
      />
    </Stack>
  );
}

function DomainBadges({ domains }: { domains: string[] }) {
  const { t } = useTranslation();
  if (domains.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('app.emptyValue')}
      </Text>
    );
  }
  const shown = domains.slice(0, 3);
  const rest = domains.slice(3);
  return (
    <Group gap={4}>
      {shown.map((domain) => (
        <Badge key={domain} variant="light" color="gray" radius="sm" tt="none" fw={500}>
          {domain}
        </Badge>
      ))}
      {rest.length > 0 && (
        <Tooltip label={rest.join(', ')}>
          <Badge variant="outline" color="gray" radius="sm" tt="none" fw={500}>
            +{rest.length}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

function OrganizationTable({ q }: { q: string }) {
  const { t } = useTranslation();
  // Page size and position in the URL (issue 16), like the customer list.
  const position = useListState({
    sorts: ORGANIZATION_SORTS,
    defaultSort: 'name',
    defaultOrder: () => 'asc',
  });
  const params = { q, cursor: position.cursor, limit: position.size };
  const list = useQuery({
    queryKey: keys.organizationList(params),
    queryFn: async () => ({ ...(await organizationsApi.list(params)), offset: position.offset }),
    placeholderData: keepPreviousData,
  });

  if (list.isError) return <ErrorAlert error={list.error} />;
  if (!list.data) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  const { items, total, nextCursor } = list.data;

  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed" aria-live="polite">
        {t('organizations.count', { count: total, formatted: formatNumber(total) })}
      </Text>
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        <Table.ScrollContainer minWidth={720}>
          <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th>{t('organizations.name')}</Table.Th>
                <Table.Th>{t('organizations.domains')}</Table.Th>
                <Table.Th ta="right" w={140}>
                  {t('organizations.customers')}
                </Table.Th>
                <Table.Th w={1}>{t('customers.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
              {items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text c="dimmed" ta="center" py="lg">
                      {q ? t('organizations.emptySearch', { q }) : t('organizations.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((organization) => (
                <OrganizationRow key={organization.id} organization={organization} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <ListFooter
        list={position}
        shown={items.length}
        total={total}
        totalCapped={list.data.totalCapped}
        nextCursor={nextCursor}
        offset={list.data.offset}
        loading={list.isPlaceholderData}
      />
    </Stack>
  );
}

function OrganizationRow({ organization }: { organization: Organization }) {
  const { t } = useTranslation();
  const to = `/organizations/${organization.id}`;
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Anchor component={Link} to={to} fw={500} size="sm">
            {organization.name}
          </Anchor>
          {organization.autoCreated && (
            <Tooltip label={t('organizations.autoCreatedHint')}>
              <Badge size="sm" variant="light" color="violet" radius="sm">
                {t('organizations.autoCreated')}
              </Badge>
            </Tooltip>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <DomainBadges domains={organization.domains} />
      </Table.Td>
      <Table.Td ta="right">
        <Anchor
          component={Link}
          to={`/customers?status=active&organizationId=${organization.id}`}
          size="sm"
          c="dark"
          aria-label={t('organizations.showCustomers', {
            count: organization.customerCount,
            name: organization.name,
          })}
        >
          {formatNumber(organization.customerCount)}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Button component={Link} to={to} size="xs" variant="default">
          {t('customers.open')}
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}
