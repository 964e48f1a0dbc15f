// The confirmation before a real import starts (issue 16 point 5): the rows in the file, what
// happens to customers who already exist, what empty cells do, and how many rows are expected to
// fail (the preview's sample, or the dry run's exact count), with Cancel and Start the import.
import { Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ImportOptions } from '../../../common/customer-import.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatNumber, formatPercent } from '../../i18n/index.ts';

export interface ExpectedFailures {
  failed: number;
  /** The rows they were counted in. */
  of: number;
  /** 'sample': the preview's first rows; 'dryRun': every row, in a dry run of the same file. */
  source: 'sample' | 'dryRun';
}

export function ConfirmImport(props: {
  opened: boolean;
  onClose: () => void;
  onConfirm: () => void;
  filename: string;
  totalRows: number;
  options: Pick<ImportOptions, 'mode' | 'overwriteEmpty'>;
  expected: ExpectedFailures | null;
  busy: boolean;
  error?: unknown;
}) {
  const { t } = useTranslation();
  const { expected } = props;
  const rows: [string, string][] = [
    [t('imports.confirm.rows'), formatNumber(props.totalRows)],
    [
      t('imports.confirm.mode'),
      props.options.mode === 'upsert' ? t('imports.options.upsert') : t('imports.options.create'),
    ],
    [
      t('imports.confirm.overwriteEmpty'),
      props.options.overwriteEmpty
        ? t('imports.confirm.overwriteEmptyOn')
        : t('imports.confirm.overwriteEmptyOff'),
    ],
  ];
  if (expected && expected.of > 0) {
    const values = {
      count: expected.of,
      formatted: formatNumber(expected.of),
      failed: formatNumber(expected.failed),
      percent: formatPercent(expected.failed / expected.of),
    };
    rows.push([
      t('imports.confirm.expectedFailures'),
      expected.source === 'dryRun'
        ? t('imports.confirm.dryRunFailures', values)
        : expected.of >= props.totalRows
          ? t('imports.confirm.fileFailures', values)
          : t('imports.confirm.sampleFailures', values),
    ]);
  }
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={<Text fw={600}>{t('imports.confirm.title', { name: props.filename })}</Text>}
    >
      <Stack>
        {props.error ? <ErrorAlert error={props.error} /> : null}
        <Text size="sm">{t('imports.confirm.intro')}</Text>
        <Table withRowBorders={false} verticalSpacing={4}>
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th scope="row" fw={500} c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {label}
                </Table.Th>
                <Table.Td fw={600}>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose} disabled={props.busy}>
            {t('app.cancel')}
          </Button>
          <Button
            leftSection={<IconPlayerPlay size={16} />}
            onClick={props.onConfirm}
            loading={props.busy}
            data-autofocus
          >
            {t('imports.confirm.start')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
