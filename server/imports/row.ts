// One CSV row to a customer draft, with the same rules as the API: identities normalized,
// custom fields validated, every problem reported with its column and reason.
import type { CustomField } from '../../common/custom-field.ts';
import { validateFieldValue, type Value } from '../custom-fields/values.ts';
import { normalizeEmail, normalizePhone } from '../customers/identity.ts';
import { splitName } from '../customers/names.ts';
import type { ColumnTarget } from './columns.ts';

export interface RowError {
  row: number;
  column: string;
  value: string | null;
  reason: string;
}

/** undefined: leave as is; null: clear (only when the agent asked empty cells to overwrite). */
export interface CustomerDraft {
  row: number;
  email?: string | null;
  phone?: string | null;
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

/** Undoes the export's guard against spreadsheet formulas ('=1+2 was written as '=1+2). */
export function unescapeCell(cell: string): string {
  return cell.charCodeAt(0) === 39 /* ' */ && /^'[=+\-@\t\r\n]/.test(cell) ? cell.slice(1) : cell;
}

export function parseRow(
  row: number,
  cells: string[],
  context: RowContext,
): { draft: CustomerDraft; errors: RowError[] } {
  const draft: CustomerDraft = { row, attributes: {} };
  const errors: RowError[] = [];
  const { mapping, header } = context;
  // A plain loop with no closure per cell: this runs for every cell of a million-row file.
  for (let index = 0; index < mapping.length; index += 1) {
    const target = mapping[index];
    if (target === null || target === undefined) continue;
    const raw = unescapeCell(cells[index] ?? '').trim();
    if (raw === '') {
      if (context.overwriteEmpty) clearCell(draft, target);
      continue;
    }
    const reason = readCell(draft, target, raw, context);
    if (reason !== undefined)
      errors.push({ row, column: header[index] ?? `column ${index + 1}`, value: raw, reason });
  }
  return { draft, errors };
}

/** An empty cell when the agent asked empty cells to clear what is stored. */
function clearCell(draft: CustomerDraft, target: NonNullable<ColumnTarget>) {
  if (target === 'full_name') draft.firstName = draft.lastName = null;
  else if (target.startsWith('field:') || target.startsWith('attribute:'))
    draft.attributes[target.slice(target.indexOf(':') + 1)] = null;
  else draft[DRAFT_KEY[target as keyof typeof DRAFT_KEY]] = null;
}

/** Puts one non-empty cell into the draft; answers why it cannot, if it cannot. */
function readCell(
  draft: CustomerDraft,
  target: NonNullable<ColumnTarget>,
  raw: string,
  context: RowContext,
): string | undefined {
  switch (target) {
    case 'email': {
      const email = normalizeEmail(raw);
      if (!email.ok) return email.reason;
      draft.email = email.value;
      return undefined;
    }
    case 'phone': {
      const phone = normalizePhone(raw, context.phoneCountry);
      if (!phone.ok) return phone.reason;
      draft.phone = phone.value;
      return undefined;
    }
    case 'first_name':
    case 'last_name':
      if (raw.length > 100) return 'at most 100 characters';
      draft[target === 'first_name' ? 'firstName' : 'lastName'] = raw;
      return undefined;
    case 'full_name': {
      const name = splitName(raw);
      draft.firstName ??= name.firstName;
      draft.lastName ??= name.lastName;
      return undefined;
    }
    case 'organization':
      if (raw.length > 200) return 'at most 200 characters';
      draft.organizationName = raw;
      return undefined;
    case 'type':
      draft.typeName = raw;
      return undefined;
  }
  if (target.startsWith('field:')) {
    const key = target.slice(6);
    const field = context.fields.get(key);
    if (!field) return `no custom field ${key}`;
    const result = validateFieldValue(field, raw, context.phoneCountry);
    if (!result.ok) return result.reason;
    draft.attributes[key] = result.value;
    return undefined;
  }
  if (raw.length > 10_000) return 'at most 10,000 characters';
  draft.attributes[target.slice('attribute:'.length)] = raw;
  return undefined;
}
