// Where a column of an imported file can go: the built-in customer properties and the prefixes
// of custom-field and attribute targets. Shared by the import (server/imports/columns.ts), the
// API schema (customer-import.ts) and the console's mapping table. Kept free of zod: the import's
// worker threads load it, and they start faster without a schema library.
/**
 * The customer properties a column can feed directly. The server recognises them from headers
 * (server/imports/columns.ts), the console names them (web/console/imports/import-labels.ts).
 */
export const BUILT_IN_COLUMNS = [
  'email',
  'phone',
  // Issue 15: a customer's further addresses and numbers, several in a cell (separated by ; , or
  // a line break) and from several columns ("email 2", "email_3"...).
  'additional_emails',
  'additional_phones',
  'first_name',
  'last_name',
  'full_name',
  'organization',
  'type',
] as const;
export type BuiltInColumn = (typeof BUILT_IN_COLUMNS)[number];

/** A custom field's target is "field:<key>". */
export const FIELD_PREFIX = 'field:';
/** A free-form attribute's target is "attribute:<name>"; the export writes its header so too. */
export const ATTRIBUTE_PREFIX = 'attribute:';

/** A mapping target: a built-in property, a defined custom field, a free-form attribute, or nothing. */
export type ColumnTarget = BuiltInColumn | `field:${string}` | `attribute:${string}` | null;

/** The targets any number of columns may feed: their values add up. */
export const MULTI_COLUMN_TARGETS: ReadonlySet<string> = new Set([
  'additional_emails',
  'additional_phones',
]);

// A Set: checkMapping asks once per column, and the console once per rendered option.
const BUILT_IN_SET: ReadonlySet<string> = new Set(BUILT_IN_COLUMNS);

export function isBuiltInColumn(value: string): value is BuiltInColumn {
  return BUILT_IN_SET.has(value);
}
