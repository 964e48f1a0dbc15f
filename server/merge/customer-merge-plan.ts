// What merging two customers does to the survivor's own values, as a pure function: per field
// the value kept (the request's `keep`, else the survivor's, else the duplicate's when the
// survivor has none), the conflicts (both have a value and they differ), the custom attributes'
// union, and the audit changes. The merge and its dry run both start here (customer-merge.service).
import { fieldError } from '../../common/field-error-codes.ts';
import {
  CUSTOMER_MERGE_FIELDS,
  type CustomerMergeField,
  type MergeConflict,
  type MergeSide,
} from '../../common/merge.ts';
import type { Customer } from '../../common/customer.ts';
import type { FieldError } from '../../common/problem.ts';
import type { CustomerRow } from '../db/database.ts';
import { ValidationError } from '../errors.ts';
import type { Changes } from '../customers/customer-write.ts';
import { customerSearchText, emailDomain } from '../customers/identity.ts';

/** The survivor's columns a merge may write; the undo compares and restores exactly these. */
export const MERGED_COLUMNS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'organization_id',
  'type_id',
  'default_location_id',
  'hub_access',
  'custom_attributes',
  'email_domain',
  'search_text',
  'last_activity_at',
] as const;
export type MergedColumn = (typeof MERGED_COLUMNS)[number];
export type MergedValues = Pick<CustomerRow, MergedColumn>;

const COLUMN: Record<CustomerMergeField, keyof CustomerRow> = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  organizationId: 'organization_id',
  typeId: 'type_id',
  defaultLocationId: 'default_location_id',
  hubAccess: 'hub_access',
};

export interface CustomerMergePlan {
  /** The survivor's merged columns as they will be. */
  values: MergedValues;
  conflicts: MergeConflict[];
  /** The "merged" entry's changes: each value the survivor took over, from → to. */
  changes: Changes;
}

function apiValue(field: CustomerMergeField, row: CustomerRow): unknown {
  const value = row[COLUMN[field]];
  return field === 'hubAccess' ? value === 1 : value;
}

function attributesOf(row: CustomerRow): Customer['customAttributes'] {
  return JSON.parse(row.custom_attributes) as Customer['customAttributes'];
}

const later = (a: string | null, b: string | null) => (a && b ? (a > b ? a : b) : (a ?? b));

export function planCustomerMerge(
  survivor: CustomerRow,
  duplicate: CustomerRow,
  keep: Record<string, MergeSide>,
): CustomerMergePlan {
  const survivorAttributes = attributesOf(survivor);
  const duplicateAttributes = attributesOf(duplicate);
  const errors: FieldError[] = [];
  for (const key of Object.keys(keep)) {
    const known =
      (CUSTOMER_MERGE_FIELDS as readonly string[]).includes(key) ||
      (key.startsWith('customAttributes.') &&
        key.slice('customAttributes.'.length) in { ...survivorAttributes, ...duplicateAttributes });
    if (!known)
      errors.push(fieldError(`keep.${key}`, 'unknown_field', 'neither customer has this field'));
  }
  if (errors.length) throw new ValidationError(errors);

  const conflicts: MergeConflict[] = [];
  const side: Partial<Record<CustomerMergeField, MergeSide>> = {};
  for (const field of CUSTOMER_MERGE_FIELDS) {
    const mine = apiValue(field, survivor);
    const theirs = apiValue(field, duplicate);
    const fallback: MergeSide = mine === null && theirs !== null ? 'duplicate' : 'survivor';
    side[field] = keep[field] ?? fallback;
    if (mine !== null && theirs !== null && mine !== theirs)
      conflicts.push({ field, survivor: mine, duplicate: theirs, kept: side[field] });
  }
  const pick = (field: CustomerMergeField) =>
    (side[field] === 'duplicate' ? duplicate : survivor)[COLUMN[field]];
  const organizationId = pick('organizationId') as string | null;
  // A default location belongs to the organization: one of the other side's organization is
  // refused when asked for, and otherwise the survivor's own (if of that organization) or none.
  const locationSide = side.defaultLocationId === 'duplicate' ? duplicate : survivor;
  let defaultLocationId = locationSide.default_location_id;
  if (defaultLocationId && locationSide.organization_id !== organizationId) {
    if (keep.defaultLocationId)
      throw new ValidationError([
        fieldError(
          'keep.defaultLocationId',
          'merge_location_elsewhere',
          "that default location belongs to the other customer's organization",
        ),
      ]);
    const other = locationSide === survivor ? duplicate : survivor;
    defaultLocationId =
      other.default_location_id && other.organization_id === organizationId
        ? other.default_location_id
        : null;
  }

  const attributes: Customer['customAttributes'] = {
    ...duplicateAttributes,
    ...survivorAttributes,
  };
  for (const key of Object.keys(duplicateAttributes)) {
    if (!(key in survivorAttributes)) continue;
    const mine = survivorAttributes[key];
    const theirs = duplicateAttributes[key];
    if (JSON.stringify(mine) === JSON.stringify(theirs)) continue;
    const field = `customAttributes.${key}`;
    const kept = keep[field] ?? 'survivor';
    conflicts.push({ field, survivor: mine, duplicate: theirs, kept });
    if (kept === 'duplicate') attributes[key] = theirs as Customer['customAttributes'][string];
  }

  const names = {
    firstName: pick('firstName') as string | null,
    lastName: pick('lastName') as string | null,
    email: pick('email') as string | null,
    phone: pick('phone') as string | null,
  };
  const values: MergedValues = {
    first_name: names.firstName,
    last_name: names.lastName,
    email: names.email,
    phone: names.phone,
    organization_id: organizationId,
    type_id: pick('typeId') as string | null,
    default_location_id: defaultLocationId,
    hub_access: pick('hubAccess') as number,
    custom_attributes: JSON.stringify(attributes),
    email_domain: names.email ? emailDomain(names.email) : null,
    search_text: customerSearchText(names),
    // Retention counts from the last activity of either: the person was active then.
    last_activity_at: later(survivor.last_activity_at, duplicate.last_activity_at),
  };

  const changes: Changes = {};
  for (const field of CUSTOMER_MERGE_FIELDS) {
    const before = apiValue(field, survivor);
    const after =
      field === 'hubAccess' ? values.hub_access === 1 : values[COLUMN[field] as 'email'];
    if (before !== after) changes[field] = { from: before, to: after };
  }
  for (const key of new Set([...Object.keys(survivorAttributes), ...Object.keys(attributes)])) {
    if (JSON.stringify(survivorAttributes[key]) !== JSON.stringify(attributes[key]))
      changes[`customAttributes.${key}`] = {
        from: survivorAttributes[key] ?? null,
        to: attributes[key] ?? null,
      };
  }
  return { values, conflicts, changes };
}
