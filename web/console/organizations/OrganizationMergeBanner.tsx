// The undo banner on a survivor's page (issue 15): "Merged from … · Undo" for each merge into it
// that is not undone and still inside its undo window; when the server says an undo would be
// refused now (something changed since), the banner says so instead of offering the button.
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { MergeRecord } from '../../../common/merge.ts';
import type { Organization } from '../../../common/organization.ts';
import { keys, organizationsApi } from '../../api/kunde.ts';
import { organizationMergeKeys, organizationMergesApi } from '../../api/organization-merges.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../i18n/index.ts';
import { useCan } from '../session.tsx';

export function OrganizationMergeBanner({ organization }: { organization: Organization }) {
  const merges = useQuery({
    queryKey: organizationMergeKeys.merges(organization.id),
    queryFn: () => organizationMergesApi.list(organization.id),
  });
  const now = Date.now();
  const open = (merges.data?.items ?? []).filter(
    (m) => m.survivorId === organization.id && !m.undoneAt && Date.parse(m.undoUntil) > now,
  );
  if (open.length === 0) return null;
  return (
    <Stack gap="xs">
      {open.map((merge) => (
        <MergeNotice key={merge.id} merge={merge} organization={organization} />
      ))}
    </Stack>
  );
}

function MergeNotice({ merge, organization }: { merge: MergeRecord; organization: Organization }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canUndo = useCan('customers.delete');
  // The duplicate answers as a pointer, with the name it had.
  const duplicate = useQuery({
    queryKey: keys.organization(merge.duplicateId),
    queryFn: () => organizationsApi.get(merge.duplicateId),
  });
  const name = duplicate.data?.name ?? '…';
  const undo = useMutation({
    mutationFn: () => organizationMergesApi.undo(merge.id),
    onSuccess: async () => {
      notifications.show({
        color: 'gray',
        message: t('orgMerge.undone', { name, survivor: organization.name }),
      });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.organizations }),
        queryClient.invalidateQueries({ queryKey: keys.customers }),
      ]);
    },
  });
  return (
    <Alert color="violet" variant="light" aria-label={t('orgMerge.bannerLabel')}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm">
            {t('orgMerge.mergedFrom', { name, date: formatDateTime(merge.createdAt) })}
            {' · '}
            {t('orgMerge.undoUntil', { until: formatDateTime(merge.undoUntil) })}
          </Text>
          {canUndo && merge.undoBlockedBy === null && (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconArrowBackUp size={14} />}
              loading={undo.isPending}
              onClick={() => undo.mutate()}
            >
              {t('orgMerge.undo')}
            </Button>
          )}
        </Group>
        {merge.undoBlockedBy !== null && (
          <Text size="sm" c="dimmed">
            {t(`orgMerge.blocked.${merge.undoBlockedBy}`)}
          </Text>
        )}
        {undo.isError && <ErrorAlert error={undo.error} />}
      </Stack>
    </Alert>
  );
}
