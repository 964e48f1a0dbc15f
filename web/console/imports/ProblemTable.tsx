// Rows of a file that cannot be imported: the row number (as a spreadsheet counts, the header
// being row 1), the column, the value found and the reason, in the agent's language where known.
import { Paper, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportRowError } from '../../../common/customer-import.ts';
import { formatNumber } from '../../i18n/index.ts';
import { localizeImportReason } from '../../i18n/server-messages.ts';

export function ProblemTable({ problems, label }: { problems: ImportRowError[]; label: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" striped aria-label={label}>
          <Table.Thead bg="gray.0">
            <Table.Tr>
              <Table.Th w={80}>{t('imports.problems.row')}</Table.Th>
              <Table.Th w="20%">{t('imports.problems.column')}</Table.Th>
              <Table.Th w="25%">{t('imports.problems.value')}</Table.Th>
              <Table.Th>{t('imports.problems.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {problems.map((problem, index) => (
              <Table.Tr key={`${problem.row}:${problem.column}:${index}`}>
                <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatNumber(problem.row)}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
                    {problem.column}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace" lineClamp={2} style={{ wordBreak: 'break-all' }}>
                    {problem.value ?? ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{localizeImportReason(problem, t)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
