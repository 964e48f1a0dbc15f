// Step 2 of an import: what Kunde read from the file (name, encoding, delimiter, rows; a warning
// when it was read as Windows-1252), the column mapping (each change asks the server for a fresh
// preview), the first problems, the options (create only or create and update, empty cells, dry
// run), what the sample's rehearsal expects (SampleOutcome; asked again with the mode chosen) and
// Start, which for a real import first confirms the counts (ConfirmImport).
import {
  Alert,
  Button,
  Checkbox,
  Group,
  List,
  Loader,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconCircleCheck, IconPlayerPlay } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerImport, ImportMode, ImportOptions } from '../../../common/customer-import.ts';
import { ApiError } from '../../api/client.ts';
import { importKeys, importsApi } from '../../api/customer-imports.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatNumber } from '../../i18n/index.ts';
import { localizeFieldError, localizeImportReason } from '../../i18n/server-messages.ts';
import { delimiterLabel, encodingLabel } from './import-labels.ts';
import { MappingTable } from './MappingTable.tsx';
import { ProblemTable } from './ProblemTable.tsx';
import { ConfirmImport } from './ConfirmImport.tsx';
import { SampleOutcome } from './SampleOutcome.tsx';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.03em' }}>
        {label}
      </Text>
      <Text fw={600} style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </div>
  );
}

function Section({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <div>
        <Title order={2} size="h4">
          {title}
        </Title>
        {help && (
          <Text size="sm" c="dimmed">
            {help}
          </Text>
        )}
      </div>
      {children}
    </Stack>
  );
}

export function PreviewStep({
  importId,
  onStarted,
  onCancel,
}: {
  importId: string;
  onStarted: (started: CustomerImport) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  // null: the mapping Kunde recognised, as stored with the upload.
  const [mapping, setMapping] = useState<(string | null)[] | null>(null);
  const [options, setOptions] = useState<Omit<ImportOptions, 'mapping'> | null>(null);
  // The sample is rehearsed with the mode the agent chose (null: the stored one, as uploaded).
  const [mode, setMode] = useState<ImportMode | null>(null);
  const preview = useQuery({
    queryKey: importKeys.preview(importId, mapping, mode),
    queryFn: () => importsApi.preview(importId, mapping ?? undefined, mode ?? undefined),
    placeholderData: keepPreviousData,
  });
  const stored = preview.data?.import;
  const [confirming, confirm] = useDisclosure(false);
  const chosen = options ??
    (stored && {
      mode: stored.mode,
      dryRun: stored.dryRun,
      overwriteEmpty: stored.overwriteEmpty,
    }) ?? { mode: 'create', dryRun: false, overwriteEmpty: false };
  const setOption = (change: Partial<Omit<ImportOptions, 'mapping'>>) =>
    setOptions({ ...chosen, ...change });

  const start = useMutation({
    mutationFn: (current: (string | null)[]) =>
      importsApi.start(importId, { ...chosen, mapping: current }),
    onSuccess: (started) => {
      confirm.close();
      onStarted(started);
    },
    onError: (error) => {
      // The refusal shows on the page, with its field errors, where the agent can fix them.
      confirm.close();
      // Started meanwhile (another tab, a double click): show that import's progress.
      if (error instanceof ApiError && error.code === 'import_already_started') {
        void importsApi.get(importId).then(onStarted);
      }
    },
  });

  if (preview.isError && !preview.data) return <ErrorAlert error={preview.error} />;
  if (!preview.data) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  const { import: file, columns, unknownColumns, problems, encodingWarning, sample } = preview.data;
  const current = columns.map((column) => column.target);
  // An unrecognised column is kept as the attribute of its name unless the agent skips it.
  const unknownTargets = columns.filter((column) => unknownColumns.includes(column.header));
  const skipped = unknownTargets.filter((c) => c.target === null).map((c) => c.header);
  const keptAsAttributes = unknownTargets.filter((c) => c.target !== null).map((c) => c.header);
  const quotedList = (headers: string[]) =>
    headers.map((header) => t('imports.preview.quoted', { text: header })).join(', ');
  const mappingProblems = problems.filter((problem) => problem.row === 1);
  const rowProblems = problems.filter((problem) => problem.row > 1);
  const refreshing = preview.isFetching;

  function changeTarget(index: number, target: string | null) {
    setMapping(current.map((value, i) => (i === index ? target : value)));
  }

  return (
    <Stack gap="xl">
      <Paper withBorder radius="md" p="md">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
          <Fact label={t('imports.preview.file')}>{file.filename}</Fact>
          <Fact label={t('imports.preview.encoding')}>{encodingLabel(file.encoding)}</Fact>
          <Fact label={t('imports.preview.delimiter')}>{delimiterLabel(file.delimiter, t)}</Fact>
          <Fact label={t('imports.preview.rows')}>{formatNumber(file.totalRows)}</Fact>
        </SimpleGrid>
      </Paper>
      {encodingWarning && (
        // A UTF-8 file damaged somewhere would read as Windows-1252 with wrong letters: the row
        // of the first byte that is not UTF-8 lets the person check before importing.
        <Alert
          color="yellow"
          variant="light"
          icon={<IconAlertTriangle />}
          title={t('imports.preview.encodingTitle')}
          data-testid="encoding-warning"
        >
          {encodingWarning.firstInvalidRow === null
            ? t('imports.preview.encodingWarningNoRow')
            : t('imports.preview.encodingWarning', {
                row: formatNumber(encodingWarning.firstInvalidRow),
              })}
        </Alert>
      )}

      <Section title={t('imports.preview.columnsTitle')} help={t('imports.preview.columnsHelp')}>
        {skipped.length > 0 && (
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle />}>
            {t('imports.preview.unknownAlert', {
              count: skipped.length,
              columns: quotedList(skipped),
            })}
          </Alert>
        )}
        {keptAsAttributes.length > 0 && (
          <Alert color="blue" variant="light">
            {t('imports.preview.keptAlert', {
              count: keptAsAttributes.length,
              columns: quotedList(keptAsAttributes),
            })}
          </Alert>
        )}
        <MappingTable preview={preview.data} onChange={changeTarget} disabled={start.isPending} />
        {refreshing && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              {t('imports.preview.refreshing')}
            </Text>
          </Group>
        )}
        {preview.isError && <ErrorAlert error={preview.error} />}
        {mappingProblems.length > 0 && (
          <Alert color="red" variant="light" title={t('imports.preview.mappingProblems')}>
            <List size="sm">
              {mappingProblems.map((problem) => (
                <List.Item key={`${problem.column}:${problem.reason}`}>
                  {problem.column === '(mapping)' ? '' : `${problem.column}: `}
                  {localizeImportReason(problem, t)}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
      </Section>

      <Section title={t('imports.preview.problemsTitle')} help={t('imports.preview.problemsHelp')}>
        {rowProblems.length > 0 ? (
          <ProblemTable problems={rowProblems} label={t('imports.preview.problemsTitle')} />
        ) : (
          <Group gap="xs">
            <IconCircleCheck size={18} color="var(--mantine-color-teal-6)" />
            <Text size="sm">{t('imports.preview.noProblems')}</Text>
          </Group>
        )}
      </Section>

      <Section title={t('imports.options.title')}>
        <Paper withBorder radius="md" p="md">
          <Stack gap="md">
            <Radio.Group
              label={t('imports.options.mode')}
              value={chosen.mode}
              onChange={(value) => {
                const next = value === 'upsert' ? 'upsert' : 'create';
                setOption({ mode: next });
                setMode(next);
              }}
            >
              <Stack gap="xs" mt="xs">
                <Radio
                  value="create"
                  label={t('imports.options.create')}
                  description={t('imports.options.createHelp')}
                />
                <Radio
                  value="upsert"
                  label={t('imports.options.upsert')}
                  description={t('imports.options.upsertHelp')}
                />
              </Stack>
            </Radio.Group>
            <Checkbox
              label={t('imports.options.overwriteEmpty')}
              description={t('imports.options.overwriteEmptyHelp')}
              checked={chosen.overwriteEmpty}
              onChange={(event) => setOption({ overwriteEmpty: event.currentTarget.checked })}
            />
            <Checkbox
              label={t('imports.options.dryRun')}
              description={t('imports.options.dryRunHelp')}
              checked={chosen.dryRun}
              onChange={(event) => setOption({ dryRun: event.currentTarget.checked })}
            />
          </Stack>
        </Paper>
      </Section>

      <Section title={t('imports.preview.sampleTitle')}>
        <SampleOutcome sample={sample} file={file} />
      </Section>

      {start.isError && !(start.error instanceof ApiError && start.error.status === 409) && (
        <ErrorAlert error={start.error}>
          {start.error instanceof ApiError && start.error.errors.length > 0 && (
            <List size="sm" mt="xs">
              {start.error.errors.map((error) => (
                <List.Item key={`${error.field}:${error.message}`}>
                  {error.field}: {localizeFieldError(error, t)}
                </List.Item>
              ))}
            </List>
          )}
        </ErrorAlert>
      )}
      <Group justify="space-between">
        <Button variant="default" onClick={onCancel} disabled={start.isPending}>
          {t('imports.preview.another')}
        </Button>
        <Button
          size="md"
          leftSection={<IconPlayerPlay size={18} />}
          loading={start.isPending}
          disabled={refreshing || mappingProblems.length > 0}
          onClick={() => (chosen.dryRun ? start.mutate(current) : confirm.open())}
        >
          {chosen.dryRun
            ? t('imports.preview.startDryRun', {
                count: file.totalRows,
                formatted: formatNumber(file.totalRows),
              })
            : t('imports.preview.start', {
                count: file.totalRows,
                formatted: formatNumber(file.totalRows),
              })}
        </Button>
      </Group>
      <ConfirmImport
        opened={confirming}
        onClose={confirm.close}
        onConfirm={() => start.mutate(current)}
        filename={file.filename}
        totalRows={file.totalRows}
        options={chosen}
        expected={{ failed: sample.failed, of: sample.rows, source: 'sample' }}
        busy={start.isPending}
      />
    </Stack>
  );
}
