// One custom field value for reading: dates in the agent's locale, Yes/No for checkboxes, links
// for email, web and phone fields, lists joined; a dash for no value.
import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CustomField, CustomFieldValue } from '../../common/custom-field.ts';
import { currentLocale, formatNumber } from '../i18n/index.ts';

function formatDate(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(
    date,
  );
}

export function CustomFieldValueText({
  field,
  value,
}: {
  field: Pick<CustomField, 'type'>;
  value: CustomFieldValue | undefined;
}) {
  const { t } = useTranslation();
  const empty = (
    <Text span size="sm" c="dimmed">
      {t('app.emptyValue')}
    </Text>
  );
  if (value === null || value === undefined || value === '') return empty;
  if (Array.isArray(value)) return value.length ? <>{value.join(', ')}</> : empty;
  if (typeof value === 'boolean') return <>{value ? t('fields.yes') : t('fields.no')}</>;
  if (typeof value === 'number') return <>{formatNumber(value)}</>;
  switch (field.type) {
    case 'date':
      return <>{formatDate(value)}</>;
    case 'email':
      return (
        <Anchor href={`mailto:${value}`} size="sm">
          {value}
        </Anchor>
      );
    case 'phone':
      return (
        <Anchor href={`tel:${value}`} size="sm">
          {value}
        </Anchor>
      );
    case 'url':
      return /^https?:\/\//i.test(value) ? (
        <Anchor href={value} target="_blank" rel="noopener noreferrer" size="sm">
          {value}
        </Anchor>
      ) : (
        <>{value}</>
      );
    case 'multiline':
      return <span style={{ whiteSpace: 'pre-wrap' }}>{value}</span>;
    default:
      return <>{value}</>;
  }
}
