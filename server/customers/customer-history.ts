// The audit trail as a person reads it. Entries are stored in one vocabulary (customer-write.ts):
// organization and type by id, with the names they had kept beside. Here the ids become names,
// as they are when read, or as they were kept once the organization or type is gone.
//
// An imported customer's "created" entry is derived instead of stored. Who, when and which file
// come from the import's record; the values the customer was created with are its values now,
// rolled back through every later entry of its trail (each change is kept as from → to, in the
// same transaction as the change).
import type { AuditEntry } from '../../common/customer.ts';
import type { CustomerRow } from '../db/database.ts';
import type { StoredAuditEntry } from './customer.repository.ts';

/** Field → value at creation, in the stored vocabulary. */
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
  for (const entry of later) {
    for (const [key, change] of Object.entries(entry.changes)) {
      if (key !== 'status') values[key] = change.from;
    }
  }
  return values;
}

/** The stored entry of an imported customer's creation: every field that had a value. */
export function creationEntry(
  customer: CustomerRow,
  values: CreationValues,
  source: { importId: string; filename: string | null; actor: AuditEntry['actor'] },
): StoredAuditEntry {
  const changes: AuditEntry['changes'] = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined) changes[key] = { from: null, to: value };
  }
  return {
    id: `import-${source.importId}-${customer.created_import_row ?? 0}`,
    action: 'created',
    actor: source.actor,
    changes,
    refNames: {},
    createdAt: customer.created_at,
    import: {
      id: source.importId,
      filename: source.filename,
      row: customer.created_import_row,
    },
  };
}

const SHOWN_AS = {
  organizationId: 'organization',
  typeId: 'type',
  defaultLocationId: 'defaultLocation',
} as const;
type Reference = keyof typeof SHOWN_AS;
const REFERENCE_NAMES = {
  organizationId: 'organizations',
  typeId: 'types',
  defaultLocationId: 'locations',
} as const;

export type ReferenceNames = Record<
  (typeof REFERENCE_NAMES)[Reference],
  ReadonlyMap<string, string>
>;

/** The organization, type and location ids the entries refer to, to name them in one go. */
export function referencedIds(entries: StoredAuditEntry[]): {
  organizations: string[];
  types: string[];
  locations: string[];
} {
  const found = {
    organizations: new Set<string>(),
    types: new Set<string>(),
    locations: new Set<string>(),
  };
  for (const entry of entries) {
    for (const key of Object.keys(SHOWN_AS) as Reference[]) {
      const change = entry.changes[key];
      for (const id of [change?.from, change?.to])
        if (typeof id === 'string') found[REFERENCE_NAMES[key]].add(id);
    }
  }
  return {
    organizations: [...found.organizations],
    types: [...found.types],
    locations: [...found.locations],
  };
}

/**
 * An entry as the API shows it: "organization" and "type" by name. An id nothing has any more,
 * and whose name was not kept, shows as `{ id, deleted: true }`, never as a bare id.
 */
export function presentEntry(
  entry: StoredAuditEntry,
  names: Partial<ReferenceNames> & Pick<ReferenceNames, 'organizations' | 'types'>,
): AuditEntry {
  const { refNames, ...rest } = entry;
  const changes: AuditEntry['changes'] = {};
  for (const [key, change] of Object.entries(entry.changes)) {
    if (!(key in SHOWN_AS)) {
      changes[key] = change;
      continue;
    }
    const reference = key as Reference;
    const current = names[REFERENCE_NAMES[reference]] ?? new Map<string, string>();
    const name = (id: unknown) => {
      if (typeof id !== 'string') return id ?? null;
      return current.get(id) ?? refNames[id] ?? { id, deleted: true };
    };
    changes[SHOWN_AS[reference]] = { from: name(change.from), to: name(change.to) };
  }
  return { ...rest, changes };
}
