// Customers → Possible duplicates: the pairs Kunde suspects are one person, newest first, each
// with its reasons in words, "Merge…" (the customer page's merge dialog, the first of the pair
// kept unless the agent swaps) and "Dismiss" (the pair is never suggested again).
import { Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconGitMerge, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DuplicateSuggestion } from '../../../common/merge.ts';
import { fieldLabel, useCustomFields } from '../../api/account-data.ts';
import { duplicatesApi, mergeKeys } from '../../api/merges.ts';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert.tsx';
import { Pager, useCursorPages } from '../../components/paging.tsx';
import { usePhoneFormat } from '../../components/PhoneNumber.tsx';
import { MergeDialog } from '../merge/MergeDialog.tsx';
import { useCustomerLabel } from '../merge/MergePreview.tsx';
import { useCan } from '../session.tsx';
import { reasonSentence } from './duplicate-reasons.ts';

function Pair(props: { suggestion: DuplicateSuggestion; onMerge: () => void }) {
  const { t } = useTranslation();
  const customerLabel = useCustomerLabel();
  const queryClient = useQueryClient();
  const canMerge = useCan('customers.delete');
  const canDismiss = useCan('customers.create_edit');
  const { suggestion } = props;
  const fields = useCustomFields('customer');
  const formatPhone = usePhoneFormat();
  const context = {
    customers: suggestion.customers,
    fieldLabels: new Map((fields.data ?? []).map((field) => [field.key, fieldLabel(field)])),
    formatPhone,
  };
  const dismiss = useMutation({
    mutationFn: () => duplicatesApi.dismiss(suggestion.id),
    onSuccess: async () => {
      notifications.show({ color: 'gray', message: t('duplicates.dismissed') });
      await queryClient.invalidateQueries({ queryKey: mergeKeys.duplicates });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  const [first, second] = suggestion.customers;
  const pairName = `${customerLabel(first)} / ${customerLabel(second)}`;

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="article"
      aria-label={pairName}
      data-suggestion={suggestion.id}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Group gap="xs">
            {suggestion.customers.map((customer, index) => (
              <Group key={customer.id} gap="xs">
                {index > 0 && <Text c="dimmed">/</Text>}
                <Text component={Link} to={`/customers/${customer.id}`} fw={600} c="blue.9">
                  {customerLabel(customer)}
                </Text>
              </Group>
            ))}
          </Group>
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {suggestion.customers
              .map((c) =>
                [c.email, c.phone && formatPhone(c.phone), c.organizationName]
                  .filter(Boolean)
                  .join(' · '),
              )
              .join('  |  ')}
          </Text>
          <Stack gap={2}>
            {suggestion.reasons.map((reason, index) => (
              <Group key={`${reason.code}:${index}`} gap={6} wrap="nowrap">
                <Badge size="xs" variant="light" color="orange">
                  {t('duplicates.reason')}
                </Badge>
                <Text size="sm">{reasonSentence(reason, t, context)}</Text>
              </Group>
            ))}
          </Stack>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {canMerge && (
            <Button size="xs" leftSection={<IconGitMerge size={14} />} onClick={props.onMerge}>
              {t('merge.action')}
            </Button>
          )}
          {canDismiss && (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconX size={14} />}
              loading={dismiss.isPending}
              onClick={() => dismiss.mutate()}
            >
              {t('duplicates.dismiss')}
            </Button>
          )}
        </Group>
      </Group>
    </Paper>
  );
}

export function DuplicatesPage() {
  const { t } = useTranslation();
  const pages = useCursorPages();
  const [merging, setMerging] = useState<DuplicateSuggestion | undefined>();
  const list = useQuery({
    queryKey: mergeKeys.duplicateList({ cursor: pages.cursor }),
    queryFn: () => duplicatesApi.list({ cursor: pages.cursor }),
  });

  return (
    <Stack gap="lg" maw={1100}>
      <Stack gap={4}>
        <Title order={1} size="h2">
          {t('duplicates.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('duplicates.intro')}
        </Text>
      </Stack>
      {list.isError && <ErrorAlert error={list.error} />}
      {list.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      {list.data && list.data.items.length === 0 && <Text c="dimmed">{t('duplicates.empty')}</Text>}
      {list.data?.items.map((suggestion) => (
        <Pair key={suggestion.id} suggestion={suggestion} onMerge={() => setMerging(suggestion)} />
      ))}
      <Pager
        page={pages.page}
        nextCursor={list.data?.nextCursor}
        onPrevious={pages.previous}
        onNext={pages.next}
        loading={list.isFetching}
      />
      {merging && (
        <MergeDialog
          customer={merging.customers[0]}
          duplicate={merging.customers[1]}
          opened
          onClose={() => setMerging(undefined)}
          onMerged={() => setMerging(undefined)}
        />
      )}
    </Stack>
  );
}
