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
  return /^'[=+\-@\t\r\n]/.test(cell) ? cell.slice(1) : cell;
}

export function parseRow(
  row: number,
  cells: string[],
  context: RowContext,
): { draft: CustomerDraft; errors: RowError[] } {
  const draft: CustomerDraft = { row, attributes: {} };
  const errors: RowError[] = [];
  const empty = context.overwriteEmpty ? null : undefined;
  context.mapping.forEach((target, index) => {
    if (target === null) return;
    const column = context.header[index] ?? `column ${index + 1}`;
    const raw = unescapeCell(cells[index] ?? '').trim();
    const fail = (reason: string) => errors.push({ row, column, value: raw, reason });
    if (raw === '') {
      if (target === 'full_name') {
        if (empty === null) draft.firstName = draft.lastName = null;
      } else if (target.startsWith('field:') || target.startsWith('attribute:')) {
        if (empty === null) draft.attributes[target.slice(target.indexOf(':') + 1)] = null;
      } else {
        if (empty === null) draft[DRAFT_KEY[target as keyof typeof DRAFT_KEY]] = null;
      }
      return;
    }
    switch (target) {
      case 'email': {
        const email = normalizeEmail(raw);
        if (email.ok) draft.email = email.value;
        else fail(email.reason);
        return;
      }
      case 'phone': {
        const phone = normalizePhone(raw, context.phoneCountry);
        if (phone.ok) draft.phone = phone.value;
        else fail(phone.reason);
        return;
      }
      case 'first_name':
      case 'last_name':
        if (raw.length > 100) return fail('at most 100 characters');
        draft[target === 'first_name' ? 'firstName' : 'lastName'] = raw;
        return;
      case 'full_name': {
        const name = splitName(raw);
        draft.firstName ??= name.firstName;
        draft.lastName ??= name.lastName;
        return;
      }
      case 'organization':
        if (raw.length > 200) return fail('at most 200 characters');
        draft.organizationName = raw;
        return;
      case 'type':
        draft.typeName = raw;
        return;
    }
    if (target.startsWith('field:')) {
      const key = target.slice(6);
      const field = context.fields.get(key);
      if (!field) return fail(`no custom field ${key}`);
      const result = validateFieldValue(field, raw, context.phoneCountry);
      if (result.ok) draft.attributes[key] = result.value;
      else fail(result.reason);
      return;
    }
    const name = target.slice('attribute:'.length);
    if (raw.length > 10_000) return fail('at most 10,000 characters');
    draft.attributes[name] = raw;
  });
  return { draft, errors };
}
