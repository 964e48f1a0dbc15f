// The column mapping of an import preview: each header of the file, examples from its first rows,
// and where it goes (a built-in property, a custom field, a free-form attribute, or Skip).
// Columns Kunde did not recognise are highlighted.
import { Badge, Group, Paper, Select, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ImportPreview } from '../../../common/customer-import.ts';
import {
  ATTRIBUTE_PREFIX,
  BUILT_IN_COLUMNS,
  isBuiltInColumn,
} from '../../../common/import-columns.ts';
import { fieldLabel } from '../../api/account-data.ts';
import { targetLabel } from './import-labels.ts';

/** Select values are strings; this one stands for "skip the column" (null in the API). */
const SKIP = '__skip__';

export function MappingTable({
  preview,
  onChange,
  disabled,
}: {
  preview: ImportPreview;
  onChange: (index: number, target: string | null) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  // A custom field in the agent's language where it has a Norwegian label ("Kundenivå").
  const fields = preview.targets
    .filter((target) => !isBuiltInColumn(target.value))
    .map((target) => ({
      value: target.value,
      label: fieldLabel({ label: target.label, labelNb: target.labelNb ?? null }),
    }));
  const fieldLabels = new Map(fields.map((field) => [field.value, field.label]));
  const unknown = new Set(preview.unknownColumns);
  const builtIn = BUILT_IN_COLUMNS.map((value) => ({ value, label: targetLabel(value, t) }));

  function optionsFor(header: string, current: string | null) {
    const attributes = [`${ATTRIBUTE_PREFIX}${header}`];
    if (current?.startsWith(ATTRIBUTE_PREFIX) && !attributes.includes(current)) {
      attributes.unshift(current);
    }
    // A target the server knows but this list does not (a field deleted since) still shows.
    const known =
      current === null ||
      isBuiltInColumn(current) ||
      current.startsWith(ATTRIBUTE_PREFIX) ||
      fieldLabels.has(current);
    const fieldItems = known
      ? fields
      : [...fields, { value: current, label: targetLabel(current, t, fieldLabels) }];
    return [
      {
        group: t('imports.preview.groupSkip'),
        items: [{ value: SKIP, label: t('imports.preview.skip') }],
      },
      { group: t('imports.preview.groupCustomer'), items: builtIn },
      ...(fieldItems.length > 0
        ? [{ group: t('imports.preview.groupFields'), items: fieldItems }]
        : []),
      {
        group: t('imports.preview.groupAttributes'),
        items: attributes.map((value) => ({ value, label: targetLabel(value, t) })),
      },
    ];
  }

  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing="sm" aria-label={t('imports.preview.columnsTitle')}>
          <Table.Thead bg="gray.0">
            <Table.Tr>
              <Table.Th w="28%">{t('imports.preview.header')}</Table.Th>
              <Table.Th>{t('imports.preview.samples')}</Table.Th>
              <Table.Th w={300}>{t('imports.preview.target')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.columns.map((column, index) => {
              // Not recognised and skipped loses the column: that is the case to warn about.
              const isUnknown = unknown.has(column.header) && column.target === null;
              const kept = unknown.has(column.header) && !isUnknown;
              return (
                <Table.Tr
                  key={`${index}:${column.header}`}
                  bg={isUnknown ? 'yellow.0' : undefined}
                  data-unknown={isUnknown || undefined}
                >
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Text fw={600} size="sm" style={{ wordBreak: 'break-word' }}>
                        {column.header}
                      </Text>
                      {isUnknown ? (
                        <Badge
                          color="yellow"
                          variant="light"
                          leftSection={<IconAlertTriangle size={12} />}
                          tt="none"
                        >
                          {t('imports.preview.unknown')}
                        </Badge>
                      ) : kept ? (
                        <Badge color="gray" variant="light" tt="none">
                          {t('imports.preview.keptBadge')}
                        </Badge>
                      ) : column.target !== null ? (
                        <IconCheck
                          size={16}
                          color="var(--mantine-color-teal-6)"
                          aria-label={t('imports.preview.recognised')}
                        />
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" lineClamp={2} style={{ wordBreak: 'break-word' }}>
                      {column.samples.length > 0 ? column.samples.join(' · ') : t('app.emptyValue')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('imports.preview.targetFor', { header: column.header })}
                      data={optionsFor(column.header, column.target)}
                      value={column.target ?? SKIP}
                      onChange={(value) => onChange(index, !value || value === SKIP ? null : value)}
                      allowDeselect={false}
                      searchable
                      disabled={disabled}
                      maxDropdownHeight={320}
                      comboboxProps={{ withinPortal: true }}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
