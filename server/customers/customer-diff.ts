// What a patch really changes on a customer, as column updates and as audit entries.
import type { AuditEntry, Customer, CustomerUpdate } from '../../common/customer.ts';
import type { CustomerRow, CustomerRowUpdate } from '../db/database.ts';

export type Changes = AuditEntry['changes'];

export interface ResolvedPatch {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  status?: CustomerUpdate['status'];
  organizationId?: string | null;
  typeId?: string | null;
  customAttributes?: Customer['customAttributes'];
}

const COLUMN_OF = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  status: 'status',
  organizationId: 'organization_id',
  typeId: 'type_id',
} as const;

type Field = keyof typeof COLUMN_OF;

export function diffCustomer(
  current: CustomerRow,
  patch: ResolvedPatch,
): { set: CustomerRowUpdate; changes: Changes } {
  const set: Record<string, unknown> = {};
  const changes: Changes = {};
  for (const field of Object.keys(COLUMN_OF) as Field[]) {
    const column = COLUMN_OF[field];
    const value = patch[field];
    if (value === undefined || value === current[column]) continue;
    changes[field] = { from: current[column], to: value };
    set[column] = value;
  }
  if (patch.customAttributes) {
    const before = JSON.parse(current.custom_attributes) as Customer['customAttributes'];
    const after = patch.customAttributes;
    let changed = false;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
        changes[`customAttributes.${key}`] = { from: before[key] ?? null, to: after[key] ?? null };
        changed = true;
      }
    }
    if (changed) set.custom_attributes = JSON.stringify(after);
  }
  return { set: set, changes };
}

/** Audit entries for a new customer: every field that has a value. */
export function creationChanges(
  fields: Record<string, string | null>,
  attributes: Customer['customAttributes'],
): Changes {
  const changes: Changes = {};
  for (const [field, value] of Object.entries(fields))
    if (value !== null) changes[field] = { from: null, to: value };
  for (const [key, value] of Object.entries(attributes))
    changes[`customAttributes.${key}`] = { from: null, to: value };
  return changes;
}

export function auditAction(changes: Changes, status: CustomerUpdate['status']): string {
  const keys = Object.keys(changes);
  if (keys.length === 1 && keys[0] === 'status')
    return status === 'deactivated' ? 'deactivated' : 'reactivated';
  return 'updated';
}
