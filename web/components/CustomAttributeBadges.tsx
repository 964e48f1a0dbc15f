// A customer's custom attributes as small "key: value" badges.
import { Badge, Group, Text } from '@mantine/core';
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
}: {
  attributes: CustomAttributes;
  emptyText?: string;
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
  return (
    <Group gap={4}>
      {entries.map(([key, value]) => (
        <Badge
          key={key}
          variant="light"
          color="gray"
          radius="sm"
          tt="none"
          fw={500}
          style={{ maxWidth: 260 }}
          title={`${key}: ${formatAttributeValue(value)}`}
        >
          {key}: {formatAttributeValue(value)}
        </Badge>
      ))}
    </Group>
  );
}
