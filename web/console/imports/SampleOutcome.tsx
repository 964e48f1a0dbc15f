// What the preview's rehearsal of the first rows found (issue 16 point 5): how many would be
// created, updated or fail, in one sentence, and a warning above SAMPLE_FAILURE_WARNING failed.
import { Alert, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconChartBar } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  SAMPLE_FAILURE_WARNING,
  type CustomerImport,
  type ImportSample,
} from '../../../common/customer-import.ts';
import { formatNumber, formatPercent } from '../../i18n/index.ts';

export function sampleFailureShare(sample: ImportSample): number {
  return sample.rows > 0 ? sample.failed / sample.rows : 0;
}

/** "Of the first 1,000 rows: 950 would be created, 30 updated, 20 would fail (2%)." */
export function sampleSentence(sample: ImportSample, totalRows: number, t: TFunction): string {
  const parts = [t('imports.preview.sampleCreated', { formatted: formatNumber(sample.created) })];
  if (sample.updated > 0) {
    parts.push(t('imports.preview.sampleUpdated', { formatted: formatNumber(sample.updated) }));
  }
  if (sample.unchanged > 0) {
    parts.push(t('imports.preview.sampleUnchanged', { formatted: formatNumber(sample.unchanged) }));
  }
  parts.push(
    t('imports.preview.sampleFailed', {
      formatted: formatNumber(sample.failed),
      percent: formatPercent(sampleFailureShare(sample)),
    }),
  );
  const options = {
    count: sample.rows,
    formatted: formatNumber(sample.rows),
    outcome: parts.join(', '),
  };
  return sample.rows >= totalRows
    ? t('imports.preview.sampleAll', options)
    : t('imports.preview.sampleFirst', options);
}

export function SampleOutcome({ sample, file }: { sample: ImportSample; file: CustomerImport }) {
  const { t } = useTranslation();
  if (sample.rows === 0) return null;
  const share = sampleFailureShare(sample);
  return (
    <>
      <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="sample-outcome">
        <IconChartBar size={18} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
        <div>
          <Text size="sm" fw={500}>
            {sampleSentence(sample, file.totalRows, t)}
          </Text>
          <Text size="xs" c="dimmed">
            {t('imports.preview.sampleHelp')}
          </Text>
        </div>
      </Group>
      {share > SAMPLE_FAILURE_WARNING && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle />}
          title={t('imports.preview.sampleWarningTitle')}
        >
          {t('imports.preview.sampleWarning', { percent: formatPercent(share) })}
        </Alert>
      )}
    </>
  );
}
