// The account's recent imports with their status and result (a dry run's as what would happen);
// each opens its page (?id=). An upload never started can be removed here (after a confirmation),
// and says that it goes by itself a week after the upload.
import {
  ActionIcon,
  Anchor,
  Badge,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { CustomerImport } from '../../../common/customer-import.ts';
import { importKeys, importsApi } from '../../api/customer-imports.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime, formatNumber } from '../../i18n/index.ts';
import { isActive, STATUS_COLORS } from './import-labels.ts';

const SHOWN = 10;

function Result({ customerImport }: { customerImport: CustomerImport }) {
  const { t } = useTranslation();
  const { status, created, updated, unchanged, failed, dryRun } = customerImport;
  if (status !== 'done' && status !== 'failed') return <Text size="sm">{t('app.emptyValue')}</Text>;
  const parts = [
    {
      count: created,
      label: dryRun ? t('imports.summary.wouldCreate') : t('imports.summary.created'),
    },
    {
      count: updated,
      label: dryRun ? t('imports.summary.wouldUpdate') : t('imports.summary.updated'),
    },
    { count: unchanged, label: t('imports.summary.unchanged') },
    { count: failed, label: dryRun ? t('imports.summary.wouldFail') : t('imports.summary.failed') },
  ].filter((part) => part.count > 0);
  return (
    <Text size="sm">
      {parts.map((part) => `${part.label} ${formatNumber(part.count)}`).join(' · ') ||
        t('app.emptyValue')}
    </Text>
  );
}

export function RecentImports({ currentId }: { currentId: string | null }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [, setParams] = useSearchParams();
  const [removing, setRemoving] = useState<CustomerImport | null>(null);
  const remove = useMutation({
    mutationFn: (upload: CustomerImport) => importsApi.remove(upload.id),
    onSuccess: async (_, upload) => {
      setRemoving(null);
      notifications.show({ color: 'gray', message: t('imports.recent.removed') });
      // The page was showing this upload's preview: back to choosing a file.
      if (upload.id === currentId) setParams({});
      queryClient.removeQueries({ queryKey: importKeys.one(upload.id) });
      await queryClient.invalidateQueries({ queryKey: importKeys.list });
    },
  });
  const list = useQuery({
    queryKey: importKeys.list,
    queryFn: importsApi.list,
    refetchInterval: (query) =>
      query.state.data?.items.some((item) => isActive(item.status)) ? 2000 : false,
  });

  if (list.isError) return <ErrorAlert error={list.error} />;
  const items = (list.data?.items ?? []).slice(0, SHOWN);

  return (
    <Stack gap="xs" component="section" aria-labelledby="recent-imports">
      <Title order={2} size="h4" id="recent-imports">
        {t('imports.recent.title')}
      </Title>
      {list.data && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('imports.recent.empty')}
        </Text>
      ) : (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" highlightOnHover aria-labelledby="recent-imports">
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th>{t('imports.recent.file')}</Table.Th>
                  <Table.Th>{t('imports.recent.status')}</Table.Th>
                  <Table.Th ta="right">{t('imports.recent.rows')}</Table.Th>
                  <Table.Th>{t('imports.recent.result')}</Table.Th>
                  <Table.Th>{t('imports.recent.by')}</Table.Th>
                  <Table.Th>{t('imports.recent.when')}</Table.Th>
                  <Table.Th w={1}>
                    <VisuallyHidden>{t('imports.recent.remove')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id} bg={item.id === currentId ? 'blue.0' : undefined}>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/customers/import?id=${encodeURIComponent(item.id)}`}
                        size="sm"
                        fw={500}
                        aria-current={item.id === currentId ? 'page' : undefined}
                      >
                        {item.filename}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Badge color={STATUS_COLORS[item.status]} variant="light" tt="none">
                          {t(`imports.status.${item.status}`)}
                        </Badge>
                        {item.dryRun && item.status !== 'preview' && (
                          <Badge color="grape" variant="outline" tt="none">
                            {t('imports.recent.dryRun')}
                          </Badge>
                        )}
                      </Group>
                      {item.status === 'preview' && (
                        <Text size="xs" c="dimmed" mt={2}>
                          {t('imports.recent.expires')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {formatNumber(item.totalRows)}
                    </Table.Td>
                    <Table.Td>
                      <Result customerImport={item} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{item.createdBy}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" component="time" dateTime={item.createdAt}>
                        {formatDateTime(item.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {item.status === 'preview' && (
                        <Tooltip label={t('imports.recent.removeNamed', { name: item.filename })}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={t('imports.recent.removeNamed', { name: item.filename })}
                            onClick={() => {
                              remove.reset();
                              setRemoving(item);
                            }}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <ConfirmModal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title={t('imports.recent.removeTitle')}
        confirmLabel={t('imports.recent.remove')}
        onConfirm={() => removing && remove.mutate(removing)}
        busy={remove.isPending}
        error={remove.error}
      >
        {t('imports.recent.removeBody', { name: removing?.filename ?? '' })}
      </ConfirmModal>
    </Stack>
  );
}
