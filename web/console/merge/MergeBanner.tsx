// On a survivor's page: a banner for each merge into it that can still be undone ("Merged from
// #123 · Undo", until undoUntil), or why it no longer can (undoBlockedBy); after an undo, a note
// with a link to the customer that is separate again. And on the page the console was sent to
// from a merged-away customer's link, the note that says so.
import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconGitMerge } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer } from '../../../common/customer.ts';
import type { MergeRecord } from '../../../common/merge.ts';
import { customersApi, keys } from '../../api/kunde.ts';
import { mergeKeys, mergesApi } from '../../api/merges.ts';
import { errorMessage } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../i18n/index.ts';
import { useCan } from '../session.tsx';

/** Still worth a banner: not undone and within its undo period. */
function isOpen(merge: MergeRecord, now: number): boolean {
  return merge.undoneAt === null && Date.parse(merge.undoUntil) > now;
}

function MergeNotice(props: { merge: MergeRecord; onUndone: (restored: Customer) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canMerge = useCan('customers.delete');
  const { merge } = props;
  // The merged-away customer still answers (as a pointer), with its number.
  const duplicate = useQuery({
    queryKey: keys.customer(merge.duplicateId),
    queryFn: () => customersApi.get(merge.duplicateId),
  });
  const undo = useMutation({
    mutationFn: () => mergesApi.undo(merge.id),
    onSuccess: async (result) => {
      props.onUndone(result.restored);
      queryClient.setQueryData(keys.customer(result.survivor.id), result.survivor);
      queryClient.setQueryData(keys.customer(result.restored.id), result.restored);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.customers }),
        queryClient.invalidateQueries({ queryKey: mergeKeys.duplicates }),
        queryClient.invalidateQueries({ queryKey: ['tickets'] }),
      ]);
    },
    onError: async (error) => {
      notifications.show({ color: 'red', message: errorMessage(error, t) });
      // A refusal means something changed since the banner was loaded: show why it now says no.
      await queryClient.invalidateQueries({ queryKey: mergeKeys.merges(merge.survivorId) });
    },
  });
  const number = duplicate.data ? `#${duplicate.data.number}` : '…';
  const blocked = merge.undoBlockedBy;

  return (
    <Alert
      color={blocked ? 'gray' : 'orange'}
      variant="light"
      icon={<IconGitMerge size={18} />}
      data-merge-banner={merge.id}
    >
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            {t('merge.bannerFrom', { number })}
          </Text>
          <Text size="xs" c="dimmed">
            {blocked
              ? t(`merge.blocked.${blocked}`)
              : t('merge.bannerUntil', { date: formatDateTime(merge.undoUntil) })}
          </Text>
        </Stack>
        {canMerge && !blocked && (
          <Button
            size="xs"
            variant="white"
            color="orange"
            leftSection={<IconArrowBackUp size={14} />}
            loading={undo.isPending}
            onClick={() => undo.mutate()}
          >
            {t('merge.undo')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}

export function MergeBanners({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const [restored, setRestored] = useState<Customer[]>([]);
  const merges = useQuery({
    queryKey: mergeKeys.merges(customer.id),
    queryFn: () => mergesApi.listFor(customer.id),
    enabled: customer.status !== 'merged',
  });
  const now = Date.now();
  const open = (merges.data?.items ?? []).filter((merge) => isOpen(merge, now));
  if (open.length === 0 && restored.length === 0) return null;
  return (
    <Stack gap="xs">
      {restored.map((other) => (
        <Alert key={other.id} color="green" variant="light" role="status">
          <Group gap="xs">
            <Text size="sm">{t('merge.undone', { number: other.number })}</Text>
            <Anchor component={Link} to={`/customers/${other.id}`} size="sm">
              {t('merge.openRestored', { number: other.number })}
            </Anchor>
          </Group>
        </Alert>
      ))}
      {open.map((merge) => (
        <MergeNotice
          key={merge.id}
          merge={merge}
          onUndone={(other) => setRestored((list) => [...list, other])}
        />
      ))}
    </Stack>
  );
}

/** "#123 was merged into this customer", when the console followed a merged-away link here. */
export function MergedFromNote({ number }: { number: number | undefined }) {
  const { t } = useTranslation();
  if (number === undefined) return null;
  return (
    <Alert color="blue" variant="light" icon={<IconGitMerge size={18} />} role="status">
      {t('merge.mergedNote', { number })}
    </Alert>
  );
}
