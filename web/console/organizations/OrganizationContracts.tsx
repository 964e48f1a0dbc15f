// The Contracts tab of an organization: its contracts with hours used and left, and Add contract.
import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Organization } from '../../../common/organization.ts';
import { contractKeys, contractsApi } from '../../api/contracts.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ContractFormModal } from '../contracts/ContractFormModal.tsx';
import { ContractHoursBar } from '../contracts/ContractHoursBar.tsx';

export function OrganizationContracts({
  organization,
  canEdit,
}: {
  organization: Organization;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const [adding, add] = useDisclosure(false);
  const contracts = useQuery({
    queryKey: contractKeys.ofOrganization(organization.id),
    queryFn: () => contractsApi.list(organization.id),
  });
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="org-contracts">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4" id="org-contracts">
          {t('contracts.title')}
        </Title>
        {canEdit && (
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={add.open}>
            {t('contracts.new')}
          </Button>
        )}
      </Group>
      {contracts.isError && <ErrorAlert error={contracts.error} />}
      {contracts.data?.items.length === 0 && <Text c="dimmed">{t('contracts.empty')}</Text>}
      {!!contracts.data?.items.length && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('contracts.description')}</Table.Th>
              <Table.Th>{t('contracts.customerContact')}</Table.Th>
              <Table.Th>{t('contracts.supportContact')}</Table.Th>
              <Table.Th>{t('contracts.term')}</Table.Th>
              <Table.Th w={260}>{t('contracts.hours')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {contracts.data.items.map((contract) => (
              <Table.Tr key={contract.id}>
                <Table.Td>
                  <Stack gap={2}>
                    <Anchor component={Link} to={`/contracts/${contract.id}`}>
                      {contract.description}
                    </Anchor>
                    {!contract.active && (
                      <Badge size="xs" color="gray" variant="light">
                        {t('contracts.inactive')}
                      </Badge>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>{contract.customerContactName}</Table.Td>
                <Table.Td>{contract.supportContactName}</Table.Td>
                <Table.Td>
                  {contract.startDate ?? '…'} – {contract.endDate ?? '…'}
                </Table.Td>
                <Table.Td>
                  <ContractHoursBar contract={contract} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canEdit && adding && (
        <ContractFormModal opened={adding} onClose={add.close} organizationId={organization.id} />
      )}
    </Paper>
  );
}
