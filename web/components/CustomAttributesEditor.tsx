// Key/value rows for a customer's custom attributes, with "+ Add attribute" and remove buttons.
import { ActionIcon, Button, Group, Input, Stack, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CustomAttributes } from '../../common/customer.ts';
import { formatAttributeValue, type AttributeValue } from './CustomAttributeBadges.tsx';

export interface AttributeRow {
  id: number;
  key: string;
  value: string;
  /** The stored value the row started from, so an untouched number, boolean or list keeps its type. */
  original?: AttributeValue;
}

let nextRowId = 1;

export function newAttributeRow(key = '', original?: AttributeValue): AttributeRow {
  return { id: nextRowId++, key, value: formatAttributeValue(original), original };
}

export function rowsFromAttributes(attributes: CustomAttributes): AttributeRow[] {
  return Object.entries(attributes).map(([key, value]) => newAttributeRow(key, value));
}

/** Errors the agent can fix before anything is sent: a value without a name, a name twice. */
export function rowProblems(rows: AttributeRow[]): Map<number, 'nameRequired' | 'duplicate'> {
  const problems = new Map<number, 'nameRequired' | 'duplicate'>();
  const seen = new Set<string>();
  for (const row of rows) {
    const key = row.key.trim();
    if (!key) {
      if (row.value.trim()) problems.set(row.id, 'nameRequired');
      continue;
    }
    if (seen.has(key)) problems.set(row.id, 'duplicate');
    seen.add(key);
  }
  return problems;
}

export function attributesFromRows(rows: AttributeRow[]): CustomAttributes {
  const attributes: CustomAttributes = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (!key) continue;
    const unchanged =
      row.original !== undefined && row.value === formatAttributeValue(row.original);
    attributes[key] = unchanged && row.original !== undefined ? row.original : row.value;
  }
  return attributes;
}

interface Props {
  rows: AttributeRow[];
  onChange: (rows: AttributeRow[]) => void;
  /** Messages per row id: from the checks above or from the server (`customAttributes.<key>`). */
  errors: Map<number, string>;
  generalError?: string;
  disabled?: boolean;
  /** False when the account no longer allows free-form attributes: existing ones can only go. */
  canAdd?: boolean;
}

export function CustomAttributesEditor({
  rows,
  onChange,
  errors,
  generalError,
  disabled,
  canAdd = true,
}: Props) {
  const { t } = useTranslation();
  const update = (id: number, patch: Partial<AttributeRow>) =>
    onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));

  return (
    <Input.Wrapper
      label={t('form.customAttributes')}
      description={canAdd ? t('form.customAttributesHint') : t('form.freeformNotAllowed')}
      error={generalError}
    >
      <Stack gap="xs" mt={6}>
        {rows.map((row, index) => {
          const name = row.key.trim() || String(index + 1);
          return (
            <Group key={row.id} gap="xs" align="flex-start" wrap="nowrap">
              <TextInput
                aria-label={`${t('form.attributeName')} ${index + 1}`}
                placeholder={t('form.attributeNamePlaceholder')}
                value={row.key}
                onChange={(event) => update(row.id, { key: event.currentTarget.value })}
                error={errors.get(row.id)}
                disabled={disabled}
                style={{ flex: '0 0 38%' }}
              />
              <TextInput
                aria-label={`${t('form.attributeValue')} ${index + 1}`}
                placeholder={t('form.attributeValue')}
                value={row.value}
                onChange={(event) => update(row.id, { value: event.currentTarget.value })}
                disabled={disabled}
                style={{ flex: 1 }}
              />
              <Tooltip label={t('form.removeAttribute', { name })}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="lg"
                  mt={2}
                  aria-label={t('form.removeAttribute', { name })}
                  onClick={() => onChange(rows.filter((other) => other.id !== row.id))}
                  disabled={disabled}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          );
        })}
        {canAdd && (
          <Group>
            <Button
              variant="light"
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => onChange([...rows, newAttributeRow()])}
              disabled={disabled}
            >
              {t('form.addAttribute')}
            </Button>
          </Group>
        )}
      </Stack>
    </Input.Wrapper>
  );
}
