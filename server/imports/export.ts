// The customer list as CSV, streamed page by page: the same columns the import reads, with cells
// that a spreadsheet would run as a formula (= + - @ tab CR LF) escaped with a leading quote.
// Headers and delimiter follow the CsvFormat asked for (csv-headers.ts); every layout re-imports.
// The rows are the customer list's (CustomerService.list), so a scoped agent exports exactly the
// customers they can list (access/scope.ts).
import { sql, type Kysely } from 'kysely';
import type { Customer, CustomerListQuery } from '../../common/customer.ts';
import type { Principal } from '../agents/principal.ts';
import type { CustomFieldService } from '../custom-fields/custom-field.service.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Dialect } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { MACHINE_CSV, type CsvFormat } from '../../common/csv-format.ts';
import { listTypeRows } from '../customer-types/customer-type.repository.ts';
import {
  attributeHeader,
  columnHeader,
  fieldHeaders,
  formatLine,
  headerLine,
  readOnlyCell,
} from './csv-headers.ts';
import { customerScope } from '../access/scope.ts';

/**
 * A cell a spreadsheet would run as a formula gets a leading quote; so does one that already
 * starts with quotes before such a character, or the import (which removes one) would change it.
 */
export function escapeFormula(value: string): string {
  return /^'*[=+\-@\t\r\n]/.test(value) ? `'${value}` : value;
}

function cell(value: string | number | boolean | string[] | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return escapeFormula(value.join('; '));
  return escapeFormula(String(value));
}

/**
 * The free-form attribute names the exported customers use; for a scoped agent only those of
 * customers in their scope, so a column header does not tell them about anyone else.
 */
async function freeformKeys(
  db: Kysely<Database>,
  dialect: Dialect,
  principal: Principal,
  defined: Set<string>,
) {
  const { accountId } = principal;
  const inScope = customerScope(principal.scope) ?? sql<boolean>`1 = 1`;
  const rows =
    dialect === 'postgres'
      ? await sql<{
          key: string;
        }>`select distinct jsonb_object_keys(custom_attributes) as key from customers where account_id = ${accountId} and ${inScope}`.execute(
          db,
        )
      : await sql<{
          key: string;
        }>`select distinct j.key as key from customers, json_each(customers.custom_attributes) j where customers.account_id = ${accountId} and ${inScope}`.execute(
          db,
        );
  return rows.rows
    .map((r) => r.key)
    .filter((k) => !defined.has(k))
    .sort();
}

export async function* exportCustomersCsv(
  deps: {
    db: Kysely<Database>;
    dialect: Dialect;
    customers: CustomerService;
    customFields: CustomFieldService;
  },
  principal: Principal,
  /**
   * The list's filter (every page of it), or customers already read (the selection: read, and
   * refused when none is visible, before the answer starts; CustomerService.listByIds).
   */
  source: Omit<CustomerListQuery, 'limit' | 'cursor'> | { selected: Customer[] },
  format: CsvFormat = MACHINE_CSV,
): AsyncGenerator<string> {
  const selected = 'selected' in source ? source.selected : undefined;
  const fields = await deps.customFields.list(principal.accountId, 'customer');
  const defined = new Set(fields.map((f) => f.key));
  const extra = await freeformKeys(deps.db, deps.dialect, principal, defined);
  const types = new Map(
    (await listTypeRows(deps.db, principal.accountId)).map((t) => [t.id, t.name]),
  );
  const builtIn = [
    'number',
    'email',
    'phone',
    // Issue 15: the further addresses and numbers, separated by "; " (the import reads them back).
    'additional_emails',
    'additional_phones',
    'first_name',
    'last_name',
    'organization',
    'type',
    'status',
    'hub_access',
    'created_at',
  ].map((name) => columnHeader(format, name));
  yield headerLine(format, [
    ...builtIn,
    ...fieldHeaders(format, fields, builtIn),
    ...extra.map((k) => attributeHeader(format, k)),
  ]);
  let cursor: string | undefined;
  let offset = 0;
  do {
    const page = selected
      ? {
          items: selected.slice(offset, (offset += 200)),
          nextCursor: offset < selected.length ? 'more' : undefined,
        }
      : await deps.customers.list(principal, {
          ...(source as Omit<CustomerListQuery, 'limit' | 'cursor'>),
          limit: 200,
          cursor,
        });
    yield page.items
      .map((c: Customer) =>
        formatLine(format, [
          c.number,
          cell(c.email),
          cell(c.phone),
          cell(c.additionalEmails),
          cell(c.additionalPhones),
          cell(c.firstName),
          cell(c.lastName),
          cell(c.organizationName),
          cell(c.typeId ? types.get(c.typeId) : ''),
          readOnlyCell(format, 'status', c.status),
          readOnlyCell(format, 'hub_access', c.hubAccess),
          c.createdAt,
          ...fields.map((f) => cell(c.customAttributes[f.key])),
          ...extra.map((k) => cell(c.customAttributes[k])),
        ]),
      )
      .join('');
    cursor = page.nextCursor;
  } while (cursor);
}

/** The template: the built-in columns, the account's custom fields, and one example row. */
export async function templateCsv(
  customFields: CustomFieldService,
  accountId: string,
  typeName: string | undefined,
  format: CsvFormat = MACHINE_CSV,
) {
  const fields = await customFields.list(accountId, 'customer');
  // The example row's words in the file's language (the import reads "ja" as yes).
  const nb = format.headers === 'localized' && format.language === 'nb';
  const example: Record<string, string> = {
    text: nb ? 'Tekst' : 'Text',
    multiline: nb ? 'Tekst' : 'Text',
    number: '10',
    decimal: '12.5',
    date: '2026-01-31',
    checkbox: nb ? 'ja' : 'yes',
    email: 'someone@example.com',
    url: 'https://example.com',
    phone: '+47 22 33 44 55',
    regex: '',
  };
  const builtIn = ['email', 'phone', 'first_name', 'last_name', 'organization', 'type'].map(
    (name) => columnHeader(format, name),
  );
  return (
    headerLine(format, [...builtIn, ...fieldHeaders(format, fields, builtIn)]) +
    formatLine(format, [
      'ola.nordmann@example.com',
      cell('+47 987 65 432'),
      'Ola',
      'Nordmann',
      nb ? 'Eksempel AS' : 'Example AS',
      typeName ?? '',
      ...fields.map((f) =>
        f.type === 'dropdown' || f.type === 'multiselect'
          ? (f.options[0] ?? '')
          : cell(example[f.type] ?? ''),
      ),
    ])
  );
}
