// A customer's custom attributes as small "key: value" badges.
import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CustomAttributes } from '../../common/customer.ts';

export type AttributeValue = CustomAttributes[string];

/** One attribute value as text: lists joined with commas, nothing for null. */
export function formatAttributeValue(value: AttributeValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

export function CustomAttributeBadges({
  attributes,
  emptyText,
  labels,
  limit,
}: {
  attributes: CustomAttributes;
  emptyText?: string;
  /** Display names by key (a custom field's label); other keys show as they are. */
  labels?: Map<string, string>;
  /** Show at most this many, then "+N" with the rest in a tooltip. */
  limit?: number;
}) {
  const { t } = useTranslation();
  const entries = Object.entries(attributes).filter(([, value]) => formatAttributeValue(value));
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {emptyText ?? t('app.emptyValue')}
      </Text>
    );
  }
  const show = (value: AttributeValue) =>
    typeof value === 'boolean'
      ? value
        ? t('fields.yes')
        : t('fields.no')
      : formatAttributeValue(value);
  const text = ([key, value]: [string, AttributeValue]) =>
    `${labels?.get(key) ?? key}: ${show(value)}`;
  const shown = limit === undefined ? entries : entries.slice(0, limit);
  const rest = entries.slice(shown.length);
  return (
    <Group gap={4}>
      {shown.map(([key, value]) => (
        <Badge
          key={key}
          variant="light"
          color="gray"
          radius="sm"
          tt="none"
          fw={500}
          style={{ maxWidth: 260 }}
          title={text([key, value])}
        >
          {text([key, value])}
        </Badge>
      ))}
      {rest.length > 0 && (
        <Tooltip label={rest.map(text).join(' · ')} multiline maw={320}>
          <Badge variant="outline" color="gray" radius="sm" tt="none" fw={500}>
            +{rest.length}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
