// The audit trail at the bottom of a customer page: when, who, what, and each field's old → new.
// A merge's entries (merged, merged_into, merge_undone) name the other customer by its number.
import { Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_ACTIONS, type AuditEntry, type Customer } from '../../common/customer.ts';
import { fieldLabel as customFieldLabel, useCustomFields } from '../api/account-data.ts';
import { customersApi, keys } from '../api/kunde.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { PhoneNumber } from '../components/PhoneNumber.tsx';
import { formatDateTime, isLocale } from '../i18n/index.ts';

type KnownAction = (typeof AUDIT_ACTIONS)[number];
const FIELD_LABELS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'status',
  'customAttributes',
  'organization',
  'organizationId',
  'type',
  'typeId',
  'defaultLocation',
  'hubAccess',
  'hubOrganizations',
  'additionalEmails',
  'additionalPhones',
  'mergedFrom',
  'mergedInto',
] as const;
type KnownField = (typeof FIELD_LABELS)[number];

/** Labels for custom attribute keys, where the page knows them. */
type KnownNames = Record<string, string>;

function actionLabel(action: string, t: TFunction): string {
  return (AUDIT_ACTIONS as readonly string[]).includes(action)
    ? t(`audit.actions.${action as KnownAction}`)
    : action;
}

function fieldLabel(field: string, t: TFunction, fieldNames: KnownNames): string {
  if ((FIELD_LABELS as readonly string[]).includes(field)) {
    return t(`audit.fields.${field as KnownField}`);
  }
  if (field.startsWith('customAttributes.')) {
    const key = field.slice('customAttributes.'.length);
    return fieldNames[key] ?? key;
  }
  return field;
}

/** An organization or type that is gone and whose name was not kept (server customer-history.ts). */
function isDeletedReference(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && (value as { deleted?: unknown }).deleted === true
  );
}

/** The other customer of a merge entry ({number, id}), as its number. */
function mergePartner(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const number = (value as { number?: unknown }).number;
  return typeof number === 'number' ? `#${number}` : null;
}

function formatValue(field: string, value: unknown, t: TFunction): string {
  if (value === null || value === undefined || value === '') return t('audit.emptyValue');
  if (isDeletedReference(value)) return t('audit.deletedValue');
  if (field === 'mergedFrom' || field === 'mergedInto') {
    const partner = mergePartner(value);
    if (partner) return partner;
  }
  if (field === 'status' && (value === 'active' || value === 'deactivated' || value === 'merged')) {
    return t(`status.${value}`);
  }
  if (typeof value === 'boolean') return value ? t('fields.yes') : t('fields.no');
  if (Array.isArray(value))
    return value.length ? value.map(String).join(', ') : t('audit.emptyValue');
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return t('audit.emptyValue');
    return entries.map(([key, inner]) => `${key}: ${String(inner)}`).join(', ');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The fields whose values are stored E.164 numbers (a customer's phones). */
const PHONE_FIELDS = new Set(['phone', 'additionalPhones']);

/**
 * One old or new value as a person reads it: phones in the account's format with the stored
 * number as their title (the entry itself keeps E.164), everything else as formatValue writes it.
 */
function AuditValue({ field, value }: { field: string; value: unknown }): ReactNode {
  const { t } = useTranslation();
  const phones =
    typeof value === 'string' ? [value] : Array.isArray(value) ? (value as unknown[]) : null;
  if (
    !PHONE_FIELDS.has(field) ||
    !phones?.length ||
    !phones.every((phone) => typeof phone === 'string' && phone !== '')
  )
    return formatValue(field, value, t);
  return (phones as string[]).map((phone, index) => (
    <Fragment key={`${index}-${phone}`}>
      {index > 0 && ', '}
      <PhoneNumber value={phone} link={false} />
    </Fragment>
  ));
}

function Changes({ entry, fieldNames }: { entry: AuditEntry; fieldNames: KnownNames }) {
  const { t } = useTranslation();
  const changes = Object.entries(entry.changes);
  if (changes.length === 0) return <Text size="sm">{t('app.emptyValue')}</Text>;
  return (
    <Stack gap={2}>
      {changes.map(([field, { from, to }]) => {
        const isNew = from === null || from === undefined || from === '';
        return (
          <Text key={field} size="sm" style={{ overflowWrap: 'anywhere' }}>
            <Text span fw={500}>
              {fieldLabel(field, t, fieldNames)}:
            </Text>{' '}
            {!(entry.action === 'created' && isNew) && (
              <Fragment>
                <Text span c="dimmed" td="line-through">
                  <AuditValue field={field} value={from} />
                </Text>
                {' → '}
              </Fragment>
            )}
            <AuditValue field={field} value={to} />
          </Text>
        );
      })}
    </Stack>
  );
}

export function AuditTrail({ customer }: { customer: Customer }) {
  const customerId = customer.id;
  const { t, i18n } = useTranslation();
  const fields = useCustomFields('customer');
  const fieldNames: KnownNames = {};
  for (const field of fields.data ?? []) fieldNames[field.key] = customFieldLabel(field);
  const locale = isLocale(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
  const audit = useInfiniteQuery({
    queryKey: keys.audit(customerId),
    queryFn: ({ pageParam }) => customersApi.audit(customerId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor,
  });
  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="audit-title">
      <Title order={2} size="h4" mb="md" id="audit-title">
        {t('audit.title')}
      </Title>
      {audit.isError && <ErrorAlert error={audit.error} />}
      {audit.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      {audit.isSuccess && entries.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('audit.empty')}
        </Text>
      )}
      {entries.length > 0 && (
        <Table.ScrollContainer minWidth={700}>
          <Table verticalSpacing="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={190}>{t('audit.time')}</Table.Th>
                <Table.Th w={200}>{t('audit.who')}</Table.Th>
                <Table.Th w={150}>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.changes')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm" component="time" dateTime={entry.createdAt}>
                      {formatDateTime(entry.createdAt, locale)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{entry.actor.name}</Text>
                    {entry.import && (
                      <Text size="xs" c="dimmed">
                        {t('audit.fromImport', {
                          filename: entry.import.filename ?? 'CSV',
                          row: entry.import.row ?? '?',
                        })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{actionLabel(entry.action, t)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Changes entry={entry} fieldNames={fieldNames} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {audit.hasNextPage && (
        <Group justify="center" mt="sm">
          <Button
            variant="default"
            size="xs"
            loading={audit.isFetchingNextPage}
            onClick={() => void audit.fetchNextPage()}
          >
            {t('audit.loadMore')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}
