// The merge preview (POST …/merge?dryRun=true): both customers side by side with a radio per
// field where they differ (the request's `keep`), the result column, every email address and
// phone (all of them survive), and the counts of what moves to the survivor.
import { Alert, Badge, Group, List, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerMergePreview, MergeSide } from '../../../common/merge.ts';
import type { Customer } from '../../../common/customer.ts';
import { PhoneNumber, useCustomerDisplayName } from '../../components/PhoneNumber.tsx';
import { formatDateTime } from '../../i18n/index.ts';
import {
  formatMergeValue,
  identitiesOf,
  mergeFieldLabel,
  mergeFieldValue,
  previewFields,
  type MergeNames,
} from './merge-fields.ts';

/** "Kari Nordmann (#12)", a phone-only customer's number in the account's format. */
export function useCustomerLabel(): (customer: Customer) => string {
  const displayName = useCustomerDisplayName();
  return useCallback(
    (customer: Customer) => `${displayName(customer)} (#${customer.number})`,
    [displayName],
  );
}

function ValueCell(props: {
  field: string;
  label: string;
  side: MergeSide;
  customer: Customer;
  /** The side chosen: the agent's pending choice, else the one the preview kept. */
  kept: MergeSide | undefined;
  names: MergeNames;
  onKeep: (field: string, side: MergeSide) => void;
}) {
  const { t } = useTranslation();
  const text = formatMergeValue(
    props.field,
    mergeFieldValue(props.customer, props.field),
    props.customer,
    t,
    props.names,
  );
  if (!props.kept) return <Table.Td style={{ overflowWrap: 'anywhere' }}>{text}</Table.Td>;
  return (
    <Table.Td>
      <Radio
        name={`keep-${props.field}`}
        value={props.side}
        checked={props.kept === props.side}
        onChange={() => props.onKeep(props.field, props.side)}
        label={text}
        aria-label={`${props.label}: ${text}`}
        styles={{ label: { overflowWrap: 'anywhere' } }}
      />
    </Table.Td>
  );
}

export function MergePreview(props: {
  preview: CustomerMergePreview;
  /** The choices asked for; shown at once, before the preview with them arrives. */
  keep: Record<string, MergeSide>;
  names: MergeNames;
  onKeep: (field: string, side: MergeSide) => void;
}) {
  const { t } = useTranslation();
  const customerLabel = useCustomerLabel();
  const { survivor, duplicate, result, moves } = props.preview;
  const conflicts = new Map(props.preview.conflicts.map((c) => [c.field, c]));
  const fields = previewFields(survivor, duplicate);
  const otherMoves = Object.entries(moves.other).filter(([, count]) => count > 0);

  return (
    <Stack gap="md">
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" aria-label={t('merge.previewTable')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={170}>{t('merge.field')}</Table.Th>
              <Table.Th>
                <Stack gap={0}>
                  <Text size="sm" fw={600}>
                    {customerLabel(survivor)}
                  </Text>
                  <Badge size="xs" color="green" variant="light">
                    {t('merge.survivor')}
                  </Badge>
                </Stack>
              </Table.Th>
              <Table.Th>
                <Stack gap={0}>
                  <Text size="sm" fw={600}>
                    {customerLabel(duplicate)}
                  </Text>
                  <Badge size="xs" color="orange" variant="light">
                    {t('merge.duplicate')}
                  </Badge>
                </Stack>
              </Table.Th>
              <Table.Th>{t('merge.result')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fields.map((field) => {
              const label = mergeFieldLabel(field, t, props.names);
              const conflict = conflicts.get(field);
              const cell = (side: MergeSide, customer: Customer) => (
                <ValueCell
                  field={field}
                  label={label}
                  side={side}
                  customer={customer}
                  kept={conflict ? (props.keep[field] ?? conflict.kept) : undefined}
                  names={props.names}
                  onKeep={props.onKeep}
                />
              );
              return (
                <Table.Tr key={field} data-merge-field={field}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {label}
                    </Text>
                  </Table.Td>
                  {cell('survivor', survivor)}
                  {cell('duplicate', duplicate)}
                  <Table.Td style={{ overflowWrap: 'anywhere' }} data-merge-result>
                    {formatMergeValue(
                      field,
                      mergeFieldValue(result, field),
                      result,
                      t,
                      props.names,
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Stack gap={4} component="section" aria-labelledby="merge-identities">
        <Title order={3} size="h5" id="merge-identities">
          {t('merge.identitiesTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('merge.identitiesKept')}
        </Text>
        <List size="sm" aria-labelledby="merge-identities">
          {(['email', 'phone'] as const).flatMap((kind) =>
            identitiesOf(result, kind).map((value, index) => (
              <List.Item key={`${kind}:${value}`}>
                <Group gap={6}>
                  {kind === 'phone' ? (
                    <PhoneNumber value={value} link={false} />
                  ) : (
                    <Text size="sm">{value}</Text>
                  )}
                  {index === 0 && (
                    <Badge size="xs" variant="outline">
                      {t('merge.primary')}
                    </Badge>
                  )}
                </Group>
              </List.Item>
            )),
          )}
        </List>
      </Stack>

      <Stack gap={4} component="section" aria-labelledby="merge-moves">
        <Title order={3} size="h5" id="merge-moves">
          {t('merge.movesTitle', { name: customerLabel(survivor) })}
        </Title>
        <List size="sm" aria-labelledby="merge-moves">
          <List.Item>{t('merge.moveTickets', { count: moves.tickets })}</List.Item>
          <List.Item>{t('merge.moveMessages', { count: moves.messages })}</List.Item>
          <List.Item>{t('merge.moveIdentities', { count: moves.identities })}</List.Item>
          <List.Item>{t('merge.moveAuditEntries', { count: moves.auditEntries })}</List.Item>
          {otherMoves.length > 0 && (
            <List.Item>
              {t('merge.moveOther', {
                count: otherMoves.reduce((sum, [, count]) => sum + count, 0),
                kinds: otherMoves.map(([kind, count]) => `${kind}: ${count}`).join(', '),
              })}
            </List.Item>
          )}
        </List>
      </Stack>

      <Alert color="blue" variant="light">
        {t('merge.undoUntil', {
          name: customerLabel(duplicate),
          date: formatDateTime(props.preview.undoUntil),
        })}
      </Alert>
    </Stack>
  );
}
