// Step 4 of an import: created, updated, unchanged and failed (which add up to the rows of the
// file; a dry run's as what would happen), the first rows that were not imported with the full
// error report and the rows to fix (fix.csv: the rows as uploaded with a reason column, to correct
// and upload again), and what to do next. After a dry run of a file chosen in this tab, it can be
// imported for real, once the agent has confirmed the counts (ConfirmImport).
import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import {
  IconAlertCircle,
  IconCircleCheck,
  IconDownload,
  IconFileSpreadsheet,
  IconFlask,
  IconPlayerPlay,
  IconUpload,
  IconUsers,
} from '@tabler/icons-react';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CustomerImport } from '../../../common/customer-import.ts';
import { importKeys, importsApi } from '../../api/customer-imports.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatNumber } from '../../i18n/index.ts';
import { newIdempotencyKey } from './import-labels.ts';
import { ConfirmImport } from './ConfirmImport.tsx';
import { ProblemTable } from './ProblemTable.tsx';

const SHOWN_ERRORS = 20;

function Stat({ label, value, color }: { label: string; value: number; color: string }) {
  const id = useId();
  return (
    <Paper withBorder radius="md" p="md" role="group" aria-labelledby={id}>
      <Text id={id} size="sm" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text fz={32} fw={700} c={value > 0 ? color : 'gray.6'} lh={1.2}>
        {formatNumber(value)}
      </Text>
    </Paper>
  );
}

export function ImportSummary({
  customerImport,
  file,
  onStarted,
  onAnother,
}: {
  customerImport: CustomerImport;
  /** The file this tab uploaded, when it still has it (to import it for real after a dry run). */
  file: File | undefined;
  onStarted: (started: CustomerImport, file: File) => void;
  onAnother: () => void;
}) {
  const { t } = useTranslation();
  const { id, created, updated, unchanged, failed, totalRows, dryRun, status } = customerImport;
  const accounted = created + updated + unchanged + failed;
  const errors = useQuery({
    queryKey: importKeys.errors(id),
    queryFn: () => importsApi.firstErrors(id, SHOWN_ERRORS),
    enabled: failed > 0,
    staleTime: Infinity,
  });
  const [confirming, confirm] = useDisclosure(false);
  const importForReal = useMutation({
    mutationFn: async (chosen: File) => {
      const { preview } = await importsApi.upload(chosen, newIdempotencyKey());
      return importsApi.start(preview.import.id, {
        mode: customerImport.mode,
        overwriteEmpty: customerImport.overwriteEmpty,
        dryRun: false,
        mapping: customerImport.mapping,
      });
    },
    onSuccess: (started, chosen) => {
      confirm.close();
      onStarted(started, chosen);
    },
  });

  const title =
    status === 'failed'
      ? t('imports.summary.failedTitle')
      : dryRun
        ? t('imports.summary.dryRunTitle')
        : t('imports.summary.title');

  return (
    <Stack gap="lg">
      <Alert
        color={status === 'failed' ? 'red' : dryRun ? 'blue' : 'teal'}
        variant="light"
        icon={
          status === 'failed' ? <IconAlertCircle /> : dryRun ? <IconFlask /> : <IconCircleCheck />
        }
        title={
          <Title order={2} size="h4">
            {title}
          </Title>
        }
      >
        <Text size="sm">
          {status === 'failed' && customerImport.error
            ? t('imports.summary.failedText', { error: customerImport.error })
            : dryRun
              ? t('imports.summary.dryRunText', { name: customerImport.filename })
              : t('imports.summary.text', { name: customerImport.filename })}
        </Text>
      </Alert>

      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
        <Stat
          label={dryRun ? t('imports.summary.wouldCreate') : t('imports.summary.created')}
          value={created}
          color="teal.7"
        />
        <Stat
          label={dryRun ? t('imports.summary.wouldUpdate') : t('imports.summary.updated')}
          value={updated}
          color="blue.7"
        />
        <Stat label={t('imports.summary.unchanged')} value={unchanged} color="gray.8" />
        <Stat
          label={dryRun ? t('imports.summary.wouldFail') : t('imports.summary.failed')}
          value={failed}
          color="red.7"
        />
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {accounted === totalRows
          ? t('imports.summary.accounted', {
              count: totalRows,
              formatted: formatNumber(totalRows),
              created: formatNumber(created),
              updated: formatNumber(updated),
              unchanged: formatNumber(unchanged),
              failed: formatNumber(failed),
            })
          : t('imports.summary.partial', {
              count: totalRows,
              processed: formatNumber(accounted),
              formatted: formatNumber(totalRows),
            })}
      </Text>

      {failed > 0 && (
        <Stack gap="xs">
          <Group justify="space-between" align="flex-end">
            <div>
              <Title order={2} size="h4">
                {t('imports.summary.errorsTitle')}
              </Title>
              {failed > SHOWN_ERRORS && (
                <Text size="sm" c="dimmed">
                  {t('imports.summary.errorsMore', {
                    shown: SHOWN_ERRORS,
                    formatted: formatNumber(failed),
                  })}
                </Text>
              )}
            </div>
            <Group gap="xs">
              <Button
                component="a"
                href={importsApi.fixUrl(id)}
                download
                variant="light"
                leftSection={<IconFileSpreadsheet size={16} />}
              >
                {t('imports.summary.downloadFix')}
              </Button>
              <Button
                component="a"
                href={importsApi.errorsUrl(id)}
                download
                variant="light"
                color="red"
                leftSection={<IconDownload size={16} />}
              >
                {t('imports.summary.downloadErrors')}
              </Button>
            </Group>
          </Group>
          <Text size="sm" c="dimmed">
            {t('imports.summary.fixHelp')}
          </Text>
          {errors.isError ? (
            <ErrorAlert error={errors.error} />
          ) : errors.data ? (
            <ProblemTable problems={errors.data} label={t('imports.summary.errorsTitle')} />
          ) : (
            <Group justify="center" p="md">
              <Loader size="sm" aria-label={t('app.loading')} />
            </Group>
          )}
        </Stack>
      )}

      {importForReal.isError && !confirming && <ErrorAlert error={importForReal.error} />}
      <Group justify="space-between">
        <Group gap="sm">
          <Button leftSection={<IconUpload size={16} />} onClick={onAnother}>
            {t('imports.summary.another')}
          </Button>
          {dryRun && status === 'done' && file && (
            <Button
              variant="light"
              leftSection={<IconPlayerPlay size={16} />}
              loading={importForReal.isPending}
              onClick={confirm.open}
            >
              {t('imports.summary.importForReal')}
            </Button>
          )}
        </Group>
        <Button
          component={Link}
          to="/customers"
          variant="default"
          leftSection={<IconUsers size={16} />}
        >
          {t('imports.summary.showCustomers')}
        </Button>
      </Group>
      {file && (
        <ConfirmImport
          opened={confirming}
          onClose={confirm.close}
          onConfirm={() => importForReal.mutate(file)}
          filename={customerImport.filename}
          totalRows={totalRows}
          options={customerImport}
          expected={{ failed, of: accounted, source: 'dryRun' }}
          busy={importForReal.isPending}
          error={importForReal.error}
        />
      )}
    </Stack>
  );
}
