// Step 3 of an import: the progress bar while the server's job works through the rows (the page
// polls the import about twice a second while it is queued or running), and the counts so far,
// worded for a dry run as what would happen.
import { Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CustomerImport } from '../../../common/customer-import.ts';
import { formatNumber } from '../../i18n/index.ts';

export function ImportProgress({ customerImport }: { customerImport: CustomerImport }) {
  const { t } = useTranslation();
  const { filename, processedRows, totalRows, status, dryRun, created, updated, failed } =
    customerImport;
  const counts = {
    created: formatNumber(created),
    updated: formatNumber(updated),
    failed: formatNumber(failed),
  };
  const percent = totalRows > 0 ? Math.min(100, Math.floor((processedRows / totalRows) * 100)) : 0;
  const queued = status === 'queued';

  return (
    <Paper withBorder radius="md" p="xl">
      <Stack gap="md">
        <Title order={2} size="h4">
          {dryRun
            ? t('imports.progress.dryRunTitle', { name: filename })
            : t('imports.progress.title', { name: filename })}
        </Title>
        <Progress
          value={queued ? 100 : percent}
          size="xl"
          radius="xl"
          striped
          animated
          color={queued ? 'gray.4' : 'blue'}
          aria-label={t('imports.progress.label')}
          transitionDuration={400}
        />
        <Group justify="space-between" aria-live="polite">
          <Text size="sm" fw={500} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {queued
              ? t('imports.progress.queued')
              : t('imports.progress.rows', {
                  processed: formatNumber(processedRows),
                  total: formatNumber(totalRows),
                })}
          </Text>
          {!queued && (
            <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {percent} %
            </Text>
          )}
        </Group>
        {!queued && (
          <Text
            size="sm"
            data-testid="import-counts"
            style={{ fontVariantNumeric: 'tabular-nums' }}
          >
            {dryRun
              ? t('imports.progress.dryRunCounts', counts)
              : t('imports.progress.counts', counts)}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t('imports.progress.leave')}
        </Text>
      </Stack>
    </Paper>
  );
}
