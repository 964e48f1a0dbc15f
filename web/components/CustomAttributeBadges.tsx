// A customer's custom attributes as small "key: value" badges; compact (the customer list) keeps
// them on one line and puts the rest behind a "+N" button that opens them all in a popover.
import {
  Badge,
  Group,
  Popover,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
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
  compact = false,
}: {
  attributes: CustomAttributes;
  emptyText?: string;
  /** Display names by key (a custom field's label); other keys show as they are. */
  labels?: Map<string, string>;
  /** Show at most this many, then "+N" with the rest in a tooltip. */
  limit?: number;
  /** One line: each badge cut short, the rest (and all in full) in a popover. */
  compact?: boolean;
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
  const badge = ([key, value]: [string, AttributeValue], maxWidth: number) => (
    <Badge
      key={key}
      variant="light"
      color="gray"
      radius="sm"
      tt="none"
      fw={500}
      style={{ maxWidth, minWidth: 0, flexShrink: 1 }}
      title={text([key, value])}
    >
      {text([key, value])}
    </Badge>
  );
  if (compact) {
    return (
      <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
        {shown.map((entry) => badge(entry, 120))}
        {rest.length > 0 && (
          <Popover position="bottom-start" withinPortal shadow="md">
            <Popover.Target>
              <UnstyledButton draggable={false} style={{ flexShrink: 0 }}>
                <Badge
                  variant="outline"
                  color="gray"
                  radius="sm"
                  tt="none"
                  fw={500}
                  style={{ cursor: 'pointer', flexShrink: 0 }}
                >
                  +{rest.length}
                </Badge>
                <VisuallyHidden>
                  {' '}
                  {t('customers.moreAttributes', { count: rest.length })}
                </VisuallyHidden>
              </UnstyledButton>
            </Popover.Target>
            <Popover.Dropdown maw={360}>
              <Stack gap={4} align="flex-start">
                {entries.map((entry) => badge(entry, 330))}
              </Stack>
            </Popover.Dropdown>
          </Popover>
        )}
      </Group>
    );
  }
  return (
    <Group gap={4}>
      {shown.map((entry) => badge(entry, 260))}
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
