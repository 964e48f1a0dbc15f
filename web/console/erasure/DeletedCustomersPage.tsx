// Customers → Deleted Customers: the proof an erasure happened without keeping the person. Who
// removed them, when, the reference number, the redacted email and phone, and why.
import { Alert, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { erasureApi } from '../../api/erasure.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { localizeServerMessage } from '../../i18n/server-messages.ts';

export function DeletedCustomersPage() {
  const { t } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: ['deleted-customers'],
    queryFn: ({ pageParam }) => erasureApi.deleted(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const format = new Intl.DateTimeFormat(currentLocale(), {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return (
    <Stack gap="lg" maw={1100}>
      <Stack gap={4}>
        <Title order={1} size="h2">
          {t('erasure.deletedTitle')}
        </Title>
        <Text c="dimmed" size="sm">
          {t('erasure.deletedIntro')}
        </Text>
      </Stack>
      {list.isError && <ErrorAlert error={list.error} />}
      {list.isPending && <Loader aria-label={t('app.loading')} />}
      {list.data && items.length === 0 && (
        <Alert variant="light" color="gray">
          {t('erasure.deletedEmpty')}
        </Alert>
      )}
      {items.length > 0 && (
        <Table striped aria-label={t('erasure.deletedTitle')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('erasure.columnNumber')}</Table.Th>
              <Table.Th>{t('erasure.columnEmail')}</Table.Th>
              <Table.Th>{t('erasure.columnPhone')}</Table.Th>
              <Table.Th>{t('erasure.columnBy')}</Table.Th>
              <Table.Th>{t('erasure.columnWhen')}</Table.Th>
              <Table.Th>{t('erasure.columnReason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.id}>
                <Table.Td>{item.customerNumber}</Table.Td>
                <Table.Td>{item.email ?? '—'}</Table.Td>
                <Table.Td>{item.phone ?? '—'}</Table.Td>
                <Table.Td>
                  {/* The purge's actor is named by the server ("Retention policy"). */}
                  {item.deletedBy.type === 'system'
                    ? localizeServerMessage(item.deletedBy.name, t)
                    : item.deletedBy.name}
                </Table.Td>
                <Table.Td>{format.format(new Date(item.deletedAt))}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={item.reason === 'agent_request' ? 'blue' : 'gray'}>
                    {t(`erasure.reason.${item.reason}`)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.hasNextPage && (
        <Group>
          <Button
            variant="default"
            onClick={() => void list.fetchNextPage()}
            loading={list.isFetchingNextPage}
          >
            {t('erasure.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
