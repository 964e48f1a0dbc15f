// "Merge…" on an organization page (issue 15): pick the other organization, see side by side
// what differs (a choice for each such field) and what moves over, counted, then confirm. The
// preview is the server's dry run of exactly the merge the button sends, asked again whenever a
// choice changes, so what is shown is what happens.
import {
  Alert,
  Button,
  Group,
  Loader,
  Modal,
  Radio,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MergeSide } from '../../../common/merge.ts';
import type { Organization } from '../../../common/organization.ts';
import { fieldLabel, useCustomFields } from '../../api/account-data.ts';
import { keys } from '../../api/kunde.ts';
import { organizationMergesApi } from '../../api/organization-merges.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { OrganizationSelect } from '../../components/OrganizationSelect.tsx';
import { formatDateTime, formatNumber } from '../../i18n/index.ts';

interface Props {
  opened: boolean;
  onClose: () => void;
  organization: Organization;
}

function shown(value: unknown, empty: string): string {
  if (value === null || value === undefined || value === '') return empty;
  if (Array.isArray(value)) return value.map((v) => shown(v, empty)).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function OrganizationMergeModal({ opened, onClose, organization }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const fields = useCustomFields('organization');
  const [duplicateId, setDuplicateId] = useState<string | null>(null);
  const [keep, setKeep] = useState<Record<string, MergeSide>>({});
  const request = { duplicateId: duplicateId ?? '', keep };
  const preview = useQuery({
    queryKey: ['organizations', 'merge-preview', organization.id, request],
    queryFn: () => organizationMergesApi.preview(organization.id, request),
    enabled: opened && duplicateId !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const merge = useMutation({
    mutationFn: () => organizationMergesApi.merge(organization.id, request),
    onSuccess: async () => {
      notifications.show({
        color: 'green',
        message: t('orgMerge.merged', {
          duplicate: preview.data?.duplicate.name ?? '',
          name: organization.name,
        }),
      });
      close();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.organizations }),
        queryClient.invalidateQueries({ queryKey: keys.customers }),
      ]);
    },
  });
  const close = () => {
    setDuplicateId(null);
    setKeep({});
    merge.reset();
    onClose();
  };
  const label = (field: string) => {
    if (field === 'name') return t('organizations.name');
    if (field === 'notes') return t('organizations.notes');
    const key = field.replace(/^customFields\./, '');
    const defined = (fields.data ?? []).find((f) => f.key === key);
    return defined ? fieldLabel(defined) : key;
  };
  const data = duplicateId ? preview.data : undefined;
  const moves = Object.entries(data?.moves ?? {}).filter(([, n]) => n > 0);

  return (
    <Modal
      opened={opened}
      onClose={close}
      size="xl"
      title={<Text fw={600}>{t('orgMerge.title', { name: organization.name })}</Text>}
    >
      <Stack>
        <Text size="sm">{t('orgMerge.explain', { name: organization.name })}</Text>
        <OrganizationSelect
          label={t('orgMerge.pick')}
          placeholder={t('organizations.searchPlaceholder')}
          value={duplicateId}
          onChange={(value) => {
            setDuplicateId(value);
            setKeep({});
          }}
        />
        {preview.isError && <ErrorAlert error={preview.error} />}
        {duplicateId && preview.isFetching && !data && (
          <Group justify="center">
            <Loader size="sm" aria-label={t('app.loading')} />
          </Group>
        )}
        {data && (
          <>
            {data.conflicts.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('orgMerge.noConflicts')}
              </Text>
            ) : (
              <Table aria-label={t('orgMerge.differences')} withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('orgMerge.field')}</Table.Th>
                    <Table.Th>{t('orgMerge.keepSurvivor', { name: data.survivor.name })}</Table.Th>
                    <Table.Th>
                      {t('orgMerge.keepDuplicate', { name: data.duplicate.name })}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.conflicts.map((conflict) => (
                    <Table.Tr key={conflict.field}>
                      <Table.Td fw={500}>{label(conflict.field)}</Table.Td>
                      {(['survivor', 'duplicate'] as const).map((side) => (
                        <Table.Td key={side}>
                          <Radio
                            name={`keep-${conflict.field}`}
                            value={side}
                            checked={(keep[conflict.field] ?? conflict.kept) === side}
                            onChange={() =>
                              setKeep((current) => ({ ...current, [conflict.field]: side }))
                            }
                            label={shown(conflict[side], t('app.emptyValue'))}
                            aria-label={`${label(conflict.field)}: ${shown(conflict[side], t('app.emptyValue'))}`}
                          />
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <div>
              <Text fw={600} size="sm" mb={4}>
                {t('orgMerge.movesTitle', { duplicate: data.duplicate.name })}
              </Text>
              {moves.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('orgMerge.nothingMoves')}
                </Text>
              ) : (
                <SimpleGrid
                  cols={{ base: 1, sm: 2 }}
                  spacing={4}
                  aria-label={t('orgMerge.movesTitle', { duplicate: data.duplicate.name })}
                >
                  {moves.map(([kind, count]) => (
                    <Text size="sm" key={kind}>
                      {t(`orgMerge.moves.${kind}`, {
                        count,
                        formatted: formatNumber(count),
                        defaultValue: `${kind}: ${count}`,
                      })}
                    </Text>
                  ))}
                </SimpleGrid>
              )}
            </div>
            <Alert color="blue" variant="light">
              {t('orgMerge.undoHint', { until: formatDateTime(data.undoUntil) })}
            </Alert>
          </>
        )}
        {merge.isError && <ErrorAlert error={merge.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={merge.isPending}>
            {t('app.cancel')}
          </Button>
          <Button
            color="red"
            disabled={!data || preview.isFetching}
            loading={merge.isPending}
            onClick={() => merge.mutate()}
          >
            {t('orgMerge.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
