// The "created" entry of a customer an import created, derived instead of stored. Who, when and
// which file come from the import's record; the values the customer was created with are its
// values now, rolled back through every later entry of its trail (each change is kept as
// from → to, in the same transaction as the change).
import type { AuditEntry } from '../../common/customer.ts';
import type { CustomerRow } from '../db/database.ts';

/** Field → value at creation. Organization and type by id, or by name where an import named them. */
export type CreationValues = Record<string, unknown>;

/** `later`: every stored entry of the customer, newest first. */
export function valuesAtCreation(current: CustomerRow, later: AuditEntry[]): CreationValues {
  const values: CreationValues = {
    firstName: current.first_name,
    lastName: current.last_name,
    email: current.email,
    phone: current.phone,
    organizationId: current.organization_id,
    typeId: current.type_id,
  };
  const attributes = JSON.parse(current.custom_attributes) as Record<string, unknown>;
  for (const [key, value] of Object.entries(attributes)) values[`customAttributes.${key}`] = value;
  // The service records organization and type by id, an import by name: whichever came last
  // (walking back) says what they were.
  const twins: Record<string, string> = {
    organization: 'organizationId',
    organizationId: 'organization',
    type: 'typeId',
    typeId: 'type',
  };
  for (const entry of later) {
    for (const [key, change] of Object.entries(entry.changes)) {
      if (key === 'status') continue;
      const twin = twins[key];
      if (twin) delete values[twin];
      values[key] = change.from;
    }
  }
  return values;
}

/** The entry as the trail shows it: every field that had a value, from nothing to that value. */
export function creationEntry(
  customer: CustomerRow,
  values: CreationValues,
  names: {
    organization: (id: string) => string | undefined;
    type: (id: string) => string | undefined;
  },
  source: { importId: string; filename: string | null; actor: AuditEntry['actor'] },
): AuditEntry {
  const changes: AuditEntry['changes'] = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    if ((key === 'organizationId' || key === 'typeId') && typeof value === 'string') {
      const name = key === 'organizationId' ? names.organization(value) : names.type(value);
      if (name)
        changes[key === 'organizationId' ? 'organization' : 'type'] = { from: null, to: name };
      else changes[key] = { from: null, to: value };
    } else changes[key] = { from: null, to: value };
  }
  return {
    id: `import-${source.importId}-${customer.created_import_row ?? 0}`,
    action: 'created',
    actor: source.actor,
    changes,
    createdAt: customer.created_at,
    import: {
      id: source.importId,
      filename: source.filename,
      row: customer.created_import_row,
    },
  };
}
