// "Merge…": pick the duplicate (MergePicker), see what the merge will do (MergePreview, from the
// dry run, asked again whenever a choice changes), and merge. The customer the dialog opens on
// survives unless the agent swaps; afterwards the console shows the survivor, whose page offers
// the undo.
import { Alert, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsExchange } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Customer } from '../../../common/customer.ts';
import type { MergeSide } from '../../../common/merge.ts';
import { keys } from '../../api/kunde.ts';
import { mergeKeys, mergesApi } from '../../api/merges.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { MergePicker } from './MergePicker.tsx';
import { MergePreview, useCustomerLabel } from './MergePreview.tsx';
import { useMergeNames } from './useMergeNames.ts';

export function MergeDialog(props: {
  customer: Customer;
  /** Start with this one as the duplicate (a suggestion's other customer). */
  duplicate?: Customer;
  opened: boolean;
  onClose: () => void;
  /** Called with the survivor instead of going to its page (the duplicates list stays). */
  onMerged?: (survivor: Customer) => void;
}) {
  const { t } = useTranslation();
  const customerLabel = useCustomerLabel();
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      size="xl"
      title={<Text fw={600}>{t('merge.title', { name: customerLabel(props.customer) })}</Text>}
    >
      {/* Mounted only while open: each opening starts from the pick, with no old choices. */}
      {props.opened && (
        <MergeSteps
          customer={props.customer}
          duplicate={props.duplicate}
          onClose={props.onClose}
          onMerged={props.onMerged}
        />
      )}
    </Modal>
  );
}

function MergeSteps(props: {
  customer: Customer;
  duplicate?: Customer;
  onClose: () => void;
  onMerged?: (survivor: Customer) => void;
}) {
  const { t } = useTranslation();
  const customerLabel = useCustomerLabel();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [other, setOther] = useState<Customer | undefined>(props.duplicate);
  const [swapped, setSwapped] = useState(false);
  const [keep, setKeep] = useState<Record<string, MergeSide>>({});
  const survivor = swapped && other ? other : props.customer;
  const duplicate = swapped ? props.customer : other;
  const request = { duplicateId: duplicate?.id ?? '', keep };
  const preview = useQuery({
    queryKey: mergeKeys.preview(survivor.id, request),
    queryFn: () => mergesApi.preview(survivor.id, request),
    enabled: duplicate !== undefined,
    // The old preview stays on screen while a changed choice is previewed again.
    placeholderData: keepPreviousData,
    staleTime: 0,
    gcTime: 0,
  });
  const names = useMergeNames(preview.data);
  const merge = useMutation({
    mutationFn: () => mergesApi.merge(survivor.id, request),
    onSuccess: async (result) => {
      notifications.show({
        color: 'green',
        message: t('merge.done', {
          duplicate: duplicate ? customerLabel(duplicate) : '',
          survivor: customerLabel(result.customer),
        }),
      });
      queryClient.setQueryData(keys.customer(result.customer.id), result.customer);
      props.onClose();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.customers }),
        queryClient.invalidateQueries({ queryKey: mergeKeys.duplicates }),
        queryClient.invalidateQueries({ queryKey: ['tickets'] }),
      ]);
      if (props.onMerged) props.onMerged(result.customer);
      else void navigate(`/customers/${result.customer.id}`);
    },
  });

  if (!other) return <MergePicker customer={props.customer} onPick={setOther} />;

  const choose = (field: string, side: MergeSide) => setKeep({ ...keep, [field]: side });
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm">
          {t('merge.survivorIs', {
            survivor: customerLabel(survivor),
            duplicate: duplicate ? customerLabel(duplicate) : '',
          })}
        </Text>
        <Group gap="xs">
          {!props.duplicate && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                setOther(undefined);
                setSwapped(false);
                setKeep({});
              }}
            >
              {t('merge.pickAnother')}
            </Button>
          )}
          <Button
            variant="default"
            size="xs"
            leftSection={<IconArrowsExchange size={14} />}
            onClick={() => {
              // The sides change meaning: earlier choices would now pick the other values.
              setSwapped(!swapped);
              setKeep({});
            }}
          >
            {t('merge.swap', { name: duplicate ? customerLabel(duplicate) : '' })}
          </Button>
        </Group>
      </Group>
      {preview.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      {preview.isError && <ErrorAlert error={preview.error} />}
      {preview.data && (
        <div aria-busy={preview.isFetching} style={{ opacity: preview.isFetching ? 0.6 : 1 }}>
          <MergePreview preview={preview.data} keep={keep} names={names} onKeep={choose} />
        </div>
      )}
      {merge.isError && <ErrorAlert error={merge.error} />}
      {preview.data && preview.data.conflicts.length === 0 && (
        <Alert color="gray" variant="light">
          {t('merge.noConflicts')}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onClose} disabled={merge.isPending}>
          {t('app.cancel')}
        </Button>
        <Button
          color="orange"
          onClick={() => merge.mutate()}
          loading={merge.isPending}
          // Never on a preview of other choices than the ones that would be sent.
          disabled={!preview.data || preview.isFetching || preview.isError}
        >
          {t('merge.confirm')}
        </Button>
      </Group>
    </Stack>
  );
}
