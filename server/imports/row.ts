// One CSV row to a customer draft, with the same rules as the API: identities normalized,
// custom fields validated, every problem reported with its column and reason.
import type { CustomField } from '../../common/custom-field.ts';
import { refusal, type Refusal } from '../../common/field-error-codes.ts';
import { importReason } from '../../common/import-reasons.ts';
import { validateFieldValue, type Value } from '../custom-fields/values.ts';
import { normalizeEmail, normalizePhone } from '../customers/identity.ts';
import { splitName } from '../customers/names.ts';
import { cleanText } from '../../common/text.ts';
import type { ColumnTarget } from '../../common/import-columns.ts';
import { isReservedAttributeName } from './columns.ts';
import type { CsvRecord } from './csv-reader.ts';

export interface RowError {
  row: number;
  column: string;
  value: string | null;
  reason: string;
  /** The reason's stable code and params (common/import-reasons.ts), where it has one. */
  code?: string;
  params?: Record<string, string | number>;
}

/** undefined: leave as is; null: clear (only when the agent asked empty cells to overwrite). */
export interface CustomerDraft {
  row: number;
  email?: string | null;
  phone?: string | null;
  /**
   * Issue 15: the addresses and numbers of the additional columns, normalized, each once;
   * undefined when the file gives none (the stored ones stay), [] to clear them.
   */
  additionalEmails?: string[];
  additionalPhones?: string[];
  firstName?: string | null;
  lastName?: string | null;
  organizationName?: string | null;
  typeName?: string | null;
  attributes: Record<string, Value | null>;
}

export interface RowContext {
  header: string[];
  mapping: ColumnTarget[];
  fields: Map<string, CustomField>;
  phoneCountry: string;
  overwriteEmpty: boolean;
}

const DRAFT_KEY = {
  email: 'email',
  phone: 'phone',
  first_name: 'firstName',
  last_name: 'lastName',
  organization: 'organizationName',
  type: 'typeName',
} as const;

/** Undoes the export's guard against spreadsheet formulas (=1+2 was written as '=1+2). */
export function unescapeCell(cell: string): string {
  return cell.charCodeAt(0) === 39 /* ' */ && /^'+[=+\-@\t\r\n]/.test(cell) ? cell.slice(1) : cell;
}

/** Longest value kept in an error report: enough to find the cell, never a 5 MB copy. */
const REPORTED_VALUE_CHARS = 500;

/** A cell as the error report shows it: without the characters no database can store. */
export function reportedValue(cell: string): string {
  return cleanText(cell.slice(0, REPORTED_VALUE_CHARS));
}

export function parseRow(
  record: CsvRecord,
  context: RowContext,
): { draft: CustomerDraft; errors: RowError[] } {
  const { row, cells } = record;
  // A plain object (a null-prototype one is a slow dictionary in V8, on every row): the
  // attribute names that could reach its prototype are refused in readCell and checkMapping.
  const draft: CustomerDraft = { row, attributes: {} };
  const errors: RowError[] = [];
  const { mapping, header } = context;
  const columnName = (index: number) => header[index] ?? `column ${index + 1}`;
  if (record.problem) {
    const { cell, ...why } = record.problem;
    errors.push({ row, column: columnName(cell), value: reportedValue(cells[cell] ?? ''), ...why });
    return { draft, errors };
  }
  // More cells than the header would be dropped without a trace; empty ones (a trailing
  // delimiter) hold nothing to lose. Missing cells (a short row) are left as they are: read as
  // empty, but never clearing a stored value, even when empty cells are asked to clear.
  if (cells.length > header.length) {
    const extra = cells.findIndex((cell, index) => index >= header.length && cell.trim() !== '');
    if (extra >= 0) {
      errors.push({
        row,
        column: `column ${extra + 1}`,
        value: reportedValue(cells[extra] ?? ''),
        ...importReason('too_many_cells', { cells: cells.length, header: header.length }),
      });
      return { draft, errors };
    }
  }
  // A plain loop with no closure per cell: this runs for every cell of a million-row file.
  for (let index = 0; index < mapping.length; index += 1) {
    const target = mapping[index];
    if (target === null || target === undefined || index >= cells.length) continue;
    const raw = unescapeCell(cells[index]!).trim();
    if (raw === '') {
      if (context.overwriteEmpty) clearCell(draft, target);
      continue;
    }
    const refused = readCell(draft, target, raw, context);
    if (refused !== undefined)
      errors.push({ row, column: columnName(index), value: reportedValue(raw), ...refused });
  }
  return { draft, errors };
}

/** An empty cell when the agent asked empty cells to clear what is stored. */
function clearCell(draft: CustomerDraft, target: NonNullable<ColumnTarget>) {
  if (target === 'full_name') draft.firstName = draft.lastName = null;
  // Another column of the same target may hold some: an empty one clears only if none does.
  else if (target === 'additional_emails') draft.additionalEmails ??= [];
  else if (target === 'additional_phones') draft.additionalPhones ??= [];
  else if (target.startsWith('field:') || target.startsWith('attribute:')) {
    const name = target.slice(target.indexOf(':') + 1);
    if (!isReservedAttributeName(name)) draft.attributes[name] = null;
  } else if (Object.hasOwn(DRAFT_KEY, target))
    draft[DRAFT_KEY[target as keyof typeof DRAFT_KEY]] = null;
}

/**
 * Why a cell is refused: the English sentence and, where it has one, its stable code and params
 * (a field error code, or an import reason), which the reports say in the agent's language by.
 */
type CellRefusal = Pick<RowError, 'reason' | 'code' | 'params'>;

/** The code, params and sentence of a refusal, as a row error carries them. */
function coded({ code, params, reason }: Refusal): CellRefusal {
  return params ? { code, params, reason } : { code, reason };
}

/** Puts one non-empty cell into the draft; answers why it cannot, if it cannot. */
function readCell(
  draft: CustomerDraft,
  target: NonNullable<ColumnTarget>,
  raw: string,
  context: RowContext,
): CellRefusal | undefined {
  switch (target) {
    case 'email': {
      const email = normalizeEmail(raw);
      if (!email.ok) return coded(email);
      draft.email = email.value;
      return undefined;
    }
    case 'phone': {
      const phone = normalizePhone(raw, context.phoneCountry);
      if (!phone.ok) return coded(phone);
      draft.phone = phone.value;
      return undefined;
    }
    case 'additional_emails':
    case 'additional_phones':
      return readIdentityList(draft, target, raw, context);
    case 'first_name':
    case 'last_name':
      if (raw.length > 100)
        return coded(refusal('too_long', 'at most 100 characters', { max: 100 }));
      draft[target === 'first_name' ? 'firstName' : 'lastName'] = raw;
      return undefined;
    case 'full_name': {
      const name = splitName(raw);
      draft.firstName ??= name.firstName;
      draft.lastName ??= name.lastName;
      return undefined;
    }
    case 'organization':
      if (raw.length > 200)
        return coded(refusal('too_long', 'at most 200 characters', { max: 200 }));
      draft.organizationName = raw;
      return undefined;
    case 'type':
      draft.typeName = raw;
      return undefined;
  }
  if (target.startsWith('field:')) {
    const key = target.slice(6);
    const field = context.fields.get(key);
    // checkMapping refuses such a mapping before the start: no code, the sentence says it.
    if (!field) return { reason: `no custom field ${key}` };
    const result = validateFieldValue(field, raw, context.phoneCountry);
    if (!result.ok) return coded(result);
    draft.attributes[key] = result.value;
    return undefined;
  }
  if (!target.startsWith('attribute:')) return { reason: `unknown target ${target}` };
  const name = target.slice('attribute:'.length);
  if (isReservedAttributeName(name)) return importReason('reserved_attribute_name', { name });
  if (raw.length > 10_000)
    return coded(refusal('too_long', 'at most 10,000 characters', { max: 10_000 }));
  draft.attributes[name] = raw;
  return undefined;
}

/** Several values in one cell: separated by ; or , or a line break (a spreadsheet's list). */
const LIST_SEPARATOR = /[;,\r\n]+/;

/**
 * An additional-addresses (or numbers) cell: each value checked like the primary one; the first
 * bad one refuses the row, named like any cell ("not an email address"). Repeats are kept once.
 */
function readIdentityList(
  draft: CustomerDraft,
  target: 'additional_emails' | 'additional_phones',
  raw: string,
  context: RowContext,
): CellRefusal | undefined {
  const list =
    target === 'additional_emails'
      ? (draft.additionalEmails ??= [])
      : (draft.additionalPhones ??= []);
  const parts = raw
    .split(LIST_SEPARATOR)
    .map((part) => part.trim())
    .filter(Boolean);
  for (const value of parts) {
    const result =
      target === 'additional_emails'
        ? normalizeEmail(value)
        : normalizePhone(value, context.phoneCountry);
    // In a cell of several, the reason says which one (the Norwegian report says only why: the
    // whole cell is in its Value column).
    if (!result.ok)
      return parts.length > 1
        ? { ...coded(result), reason: `${result.reason} (${value})` }
        : coded(result);
    if (!list.includes(result.value)) list.push(result.value);
  }
  return undefined;
}
