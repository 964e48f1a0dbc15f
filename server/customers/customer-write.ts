// How a customer is written, as pure functions: a new customer or a change becomes the row as it
// will be, the identity rows to add and remove, the audit entry and the status totals to move.
// The API, the CSV import, email and SMS intake all build their writes here, and
// customer.repository.ts (one at a time) or customer-bulk.repository.ts (an import's batch)
// write them; nothing else knows what a customer's row, identities or audit look like.
//
// One audit vocabulary: fields by their API name, organization, type and default location by id
// ("organizationId", "typeId", "defaultLocationId"), with the names those ids had kept beside the
// entry (ref_names). The trail shows an id's name as it is when read, and the kept name once
// the organization, type or location is gone.
import { fieldError } from '../../common/field-error-codes.ts';
import type { AuditEntry, Customer, CustomerStatus } from '../../common/customer.ts';
import type {
  CustomerAuditTable,
  CustomerIdentityTable,
  CustomerRow,
  DeletedCustomerTable,
} from '../db/database.ts';
import { newId } from '../db/ids.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { redactEmail, redactPhone } from '../erasure/redact.ts';
import type { AdditionalIdentities } from './customer.repository.ts';
import { customerSearchText, emailDomain, type IdentityKind } from './identity.ts';

/** The status of a customer whose erasure has started: never matched, listed or counted. */
export const ERASING = 'erasing';

/** A customer merged into another (issue 15): a pointer to it, never listed, matched or changed. */
export const MERGED = 'merged';

/** A write on a merged-away customer: refused, naming where the customer went. */
export function customerMergedError(row: Pick<CustomerRow, 'id' | 'number' | 'merged_into_id'>) {
  return new ConflictError(
    'customer_merged',
    `Customer #${row.number} was merged into another customer; change that one instead`,
    { mergedInto: row.merged_into_id },
  );
}

export type CreatedVia = 'agent' | 'api' | 'email' | 'sms' | 'hub' | 'import';
export type Changes = AuditEntry['changes'];
export type Actor = AuditEntry['actor'];

/** A customer's own values, normalized and checked by the caller. */
export interface CustomerValues {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  /** Email addresses and phones besides the primary ones (issue 15); none when left out. */
  additionalEmails?: string[];
  additionalPhones?: string[];
  customAttributes: Customer['customAttributes'];
  organizationId: string | null;
  typeId: string | null;
  /** A location of the organization (issue 12); none when left out. */
  defaultLocationId?: string | null;
  /** May use the Customer Hub (issue 14); on when left out. */
  hubAccess?: boolean;
}

/** A change: undefined leaves a value as it is. */
export interface CustomerPatch {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  /**
   * The whole set of additional addresses (or phones) after the change. Left out, the set stays,
   * without the one that became the primary (a promote that names only the new primary).
   */
  additionalEmails?: string[];
  additionalPhones?: string[];
  status?: CustomerStatus;
  organizationId?: string | null;
  typeId?: string | null;
  defaultLocationId?: string | null;
  /** The whole set of attributes after the change. */
  customAttributes?: Customer['customAttributes'];
  hubAccess?: boolean;
}

export interface WriteContext {
  accountId: string;
  actor: Actor;
  now: string;
  /** Names of the organizations and types the write refers to, by id, as they are now. */
  names: ReadonlyMap<string, string>;
  /** Set when an import row makes the write: the file's import and the row's number. */
  importRow?: { importId: string; row: number };
}

export interface CustomerWrite {
  /** The row as it will be. */
  row: CustomerRow;
  /** The version the row had when it was read; undefined for a new customer. */
  expectedVersion?: number;
  addIdentities: CustomerIdentityTable[];
  removeIdentities: { kind: IdentityKind; value: string }[];
  /** Undefined for a customer an import created: its record is the "created" entry. */
  audit?: CustomerAuditTable;
  statusTotals: Partial<Record<CustomerStatus, number>>;
  /** Hub access went off or the customer was deactivated: their Hub sessions end with it. */
  endsHubSessions?: boolean;
  /** A merge or its undo (buildMergeWrite): MERGE_COLUMNS are written too. */
  merge?: 'merged' | 'merged_into' | 'merge_undone';
}

/**
 * Columns only a merge and its undo write besides CHANGEABLE_COLUMNS: the merged-away row's
 * pointer, and the survivor's last activity (the later of both). Other writes leave them, so a
 * ticket's activity stamp is never overwritten by a change read before it.
 */
export const MERGE_COLUMNS = ['merged_into_id', 'last_activity_at'] as const;

/** The customer columns a change may write, in the order the bulk updates bind them. */
export const CHANGEABLE_COLUMNS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'status',
  'custom_attributes',
  'organization_id',
  'type_id',
  'email_domain',
  'search_text',
  'updated_at',
  'version',
  'import_id',
  'import_row',
  'default_location_id',
  'hub_access',
] as const;

const COLUMN_OF = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  status: 'status',
  organizationId: 'organization_id',
  typeId: 'type_id',
  defaultLocationId: 'default_location_id',
} as const;

/** Changes that hold ids; the names those ids had are kept beside the entry (ref_names). */
const REFERENCES = ['organizationId', 'typeId', 'defaultLocationId'] as const;

function requireIdentity(values: { email: string | null; phone: string | null }, isNew: boolean) {
  if (values.email || values.phone) return;
  throw new ValidationError([
    fieldError(
      'email',
      'email_or_phone_required',
      isNew
        ? 'an email address or a mobile number is required'
        : 'a customer needs an email address or a mobile number',
    ),
  ]);
}

function identityRow(
  context: WriteContext,
  customerId: string,
  kind: IdentityKind,
  value: string,
): CustomerIdentityTable {
  return {
    account_id: context.accountId,
    kind,
    value,
    customer_id: customerId,
    created_at: context.now,
  };
}

function auditRow(
  context: WriteContext,
  customerId: string,
  action: string,
  changes: Changes,
): CustomerAuditTable {
  const refNames: Record<string, string> = {};
  for (const key of REFERENCES) {
    for (const id of [changes[key]?.from, changes[key]?.to]) {
      const name = typeof id === 'string' ? context.names.get(id) : undefined;
      if (typeof id === 'string' && name !== undefined) refNames[id] = name;
    }
  }
  return {
    account_id: context.accountId,
    id: newId(),
    customer_id: customerId,
    action,
    actor_type: context.actor.type,
    actor_id: context.actor.id,
    actor_name: context.actor.name,
    changes: JSON.stringify(changes),
    ref_names: JSON.stringify(refNames),
    created_at: context.now,
  };
}

/**
 * An event on a customer that changes none of its values (an archive requested or downloaded):
 * an audit entry with who and when, empty changes and no names to keep.
 */
export function buildAuditEvent(
  context: Pick<WriteContext, 'accountId' | 'actor' | 'now'>,
  customerId: string,
  action: 'export_requested' | 'export_downloaded',
): CustomerAuditTable {
  return auditRow({ ...context, names: new Map() }, customerId, action, {});
}

/**
 * The organizations whose tickets a customer may see in the Customer Hub were changed (issue 14):
 * an "updated" entry with the organizations' names before and after, as "hubOrganizations".
 * Names, not ids: a grant goes when its organization is deleted, the entry must still read.
 */
export function buildHubGrantsChange(
  context: Pick<WriteContext, 'accountId' | 'actor' | 'now'>,
  customerId: string,
  before: string[],
  after: string[],
): CustomerAuditTable {
  return auditRow({ ...context, names: new Map() }, customerId, 'updated', {
    hubOrganizations: { from: before, to: after },
  });
}

/**
 * One customer's write in a merge or its undo (server/merge/), with the merge's entry: "merged"
 * on the survivor (mergedFrom and every value it took over), "merged_into" on the merged-away
 * customer, "merge_undone" on both. The row is as the merge leaves it, checked against the
 * version it was locked at. What moves
 * between the two (identities, tickets, Hub rows) the merge moves set-based before it, so the
 * write model's upkeep (duplicate suggestions, webhook events) sees each customer as it now is.
 * Only the active and deactivated are in the status totals: a merged-away row is in neither.
 */
export function buildMergeWrite(
  context: WriteContext,
  current: CustomerRow,
  set: Partial<Pick<CustomerRow, (typeof CHANGEABLE_COLUMNS | typeof MERGE_COLUMNS)[number]>>,
  action: 'merged' | 'merged_into' | 'merge_undone',
  changes: Changes,
): CustomerWrite {
  const version = Number(current.version);
  const row: CustomerRow = { ...current, ...set, updated_at: context.now, version: version + 1 };
  const statusTotals: CustomerWrite['statusTotals'] = {};
  const counted = (status: string): status is CustomerStatus =>
    status === 'active' || status === 'deactivated';
  if (row.status !== current.status) {
    if (counted(current.status)) statusTotals[current.status] = -1;
    if (counted(row.status)) statusTotals[row.status] = 1;
  }
  return {
    row,
    expectedVersion: version,
    addIdentities: [],
    removeIdentities: [],
    audit: auditRow(context, current.id, action, changes),
    statusTotals,
    merge: action,
  };
}

/** A new customer with the next number; every value it has is in its "created" entry. */
export function buildNewCustomer(
  context: WriteContext,
  number: number,
  values: CustomerValues,
  via: CreatedVia,
): CustomerWrite {
  requireIdentity(values, true);
  const { importRow } = context;
  const row: CustomerRow = {
    account_id: context.accountId,
    id: newId(),
    number,
    first_name: values.firstName,
    last_name: values.lastName,
    email: values.email,
    phone: values.phone,
    custom_attributes: JSON.stringify(values.customAttributes),
    status: 'active',
    created_via: via,
    search_text: customerSearchText(values),
    last_activity_at: null,
    created_at: context.now,
    updated_at: context.now,
    version: 1,
    organization_id: values.organizationId,
    type_id: values.typeId,
    email_domain: values.email ? emailDomain(values.email) : null,
    import_id: importRow?.importId ?? null,
    import_row: importRow?.row ?? null,
    created_import_id: importRow?.importId ?? null,
    created_import_row: importRow?.row ?? null,
    default_location_id: values.defaultLocationId ?? null,
    hub_access: values.hubAccess === false ? 0 : 1,
    merged_into_id: null,
  };
  const addIdentities = identitiesOf(values).map(([kind, value]) =>
    identityRow(context, row.id, kind, value),
  );
  // A million-row import would write a million copies of its file: the import's record and the
  // row's created_import_id/row are that customer's "created" entry (customer-history.ts).
  const audit = importRow
    ? undefined
    : auditRow(context, row.id, 'created', creationChanges(values));
  return { row, addIdentities, removeIdentities: [], audit, statusTotals: { active: 1 } };
}

function creationChanges(values: CustomerValues): Changes {
  const changes: Changes = {};
  for (const field of Object.keys(COLUMN_OF) as (keyof typeof COLUMN_OF)[]) {
    const value = field === 'status' ? null : (values[field] ?? null);
    if (value !== null) changes[field] = { from: null, to: value };
  }
  // Access is on unless said otherwise: only a customer created without it says so.
  if (values.hubAccess === false) changes.hubAccess = { from: null, to: false };
  for (const key of ['additionalEmails', 'additionalPhones'] as const) {
    const list = values[key] ?? [];
    if (list.length) changes[key] = { from: null, to: list };
  }
  for (const [key, value] of Object.entries(values.customAttributes))
    changes[`customAttributes.${key}`] = { from: null, to: value };
  return changes;
}

type IdentitySet = Pick<
  CustomerValues,
  'email' | 'phone' | 'additionalEmails' | 'additionalPhones'
>;

/** Every identity of a customer, primary first: the rows customer_identities holds for it. */
function identitiesOf(values: IdentitySet): [IdentityKind, string][] {
  const all: [IdentityKind, string][] = [];
  for (const value of [values.email, ...(values.additionalEmails ?? [])])
    if (value) all.push(['email', value]);
  for (const value of [values.phone, ...(values.additionalPhones ?? [])])
    if (value) all.push(['phone', value]);
  return all;
}

/** The same set either way round: the stored order is when each was added, not a choice. */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

/**
 * The additional set after a patch: the one it gives, or the current one without the value that
 * becomes the primary (promoting an address moves it, it is never held twice).
 */
function additionalAfter(
  given: string[] | undefined,
  current: readonly string[],
  primary: string | null,
): string[] {
  return given ?? current.filter((value) => value !== primary);
}

/** What a patch really changes, as audit changes (from → to); empty when it changes nothing. */
export function diffCustomer(
  current: CustomerRow,
  patch: CustomerPatch,
  additional: AdditionalIdentities = { emails: [], phones: [] },
): Changes {
  const changes: Changes = {};
  for (const field of Object.keys(COLUMN_OF) as (keyof typeof COLUMN_OF)[]) {
    const value = patch[field];
    const before = current[COLUMN_OF[field]];
    if (value !== undefined && value !== before) changes[field] = { from: before, to: value };
  }
  // Stored as 0/1, audited as the boolean the API speaks.
  const hubBefore = current.hub_access === 1;
  if (patch.hubAccess !== undefined && patch.hubAccess !== hubBefore)
    changes.hubAccess = { from: hubBefore, to: patch.hubAccess };
  const sets = [
    ['additionalEmails', 'email', additional.emails],
    ['additionalPhones', 'phone', additional.phones],
  ] as const;
  for (const [key, kind, before] of sets) {
    const primary = patch[kind] !== undefined ? patch[kind] : current[kind];
    const after = additionalAfter(patch[key], before, primary);
    if (!sameSet(before, after)) changes[key] = { from: [...before], to: after };
  }
  if (patch.customAttributes) {
    const before = JSON.parse(current.custom_attributes) as Customer['customAttributes'];
    const after = patch.customAttributes;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
        changes[`customAttributes.${key}`] = { from: before[key] ?? null, to: after[key] ?? null };
    }
  }
  return changes;
}

function auditAction(changes: Changes): string {
  const keys = Object.keys(changes);
  if (keys.length === 1 && keys[0] === 'status')
    return changes.status?.to === 'deactivated' ? 'deactivated' : 'reactivated';
  return 'updated';
}

/**
 * A change to a customer as read (its version is checked when written), or undefined when the
 * patch changes nothing; an import row that changes nothing is still recorded (markCustomers).
 */
export function buildChange(
  context: WriteContext,
  current: CustomerRow,
  requested: CustomerPatch,
  /** The customer's additional identities as read with the row (its search text holds them). */
  additional: AdditionalIdentities,
): CustomerWrite | undefined {
  // A default location belongs to the customer's organization: leaving it drops the location.
  const leaves =
    requested.organizationId !== undefined &&
    requested.organizationId !== current.organization_id &&
    requested.defaultLocationId === undefined &&
    Boolean(current.default_location_id);
  const patch: CustomerPatch = leaves ? { ...requested, defaultLocationId: null } : requested;
  const changes = diffCustomer(current, patch, additional);
  if (Object.keys(changes).length === 0) return undefined;
  const pick = <K extends keyof CustomerPatch>(field: K, column: keyof CustomerRow) =>
    (patch[field] !== undefined ? patch[field] : current[column]) as CustomerRow[typeof column];
  const next = {
    firstName: pick('firstName', 'first_name') as string | null,
    lastName: pick('lastName', 'last_name') as string | null,
    email: pick('email', 'email') as string | null,
    phone: pick('phone', 'phone') as string | null,
  };
  const nextIdentities: IdentitySet = {
    ...next,
    additionalEmails: additionalAfter(patch.additionalEmails, additional.emails, next.email),
    additionalPhones: additionalAfter(patch.additionalPhones, additional.phones, next.phone),
  };
  requireIdentity(next, false);
  const version = Number(current.version);
  const row: CustomerRow = {
    ...current,
    first_name: next.firstName,
    last_name: next.lastName,
    email: next.email,
    phone: next.phone,
    status: pick('status', 'status') as string,
    custom_attributes: patch.customAttributes
      ? JSON.stringify(patch.customAttributes)
      : current.custom_attributes,
    organization_id: pick('organizationId', 'organization_id') as string | null,
    type_id: pick('typeId', 'type_id') as string | null,
    default_location_id: pick('defaultLocationId', 'default_location_id') as string | null,
    hub_access: patch.hubAccess === undefined ? current.hub_access : patch.hubAccess ? 1 : 0,
    email_domain: next.email ? emailDomain(next.email) : null,
    search_text: customerSearchText({ ...next, ...nextIdentities }),
    updated_at: context.now,
    version: version + 1,
    ...(context.importRow
      ? { import_id: context.importRow.importId, import_row: context.importRow.row }
      : {}),
  };
  const write: CustomerWrite = {
    row,
    expectedVersion: version,
    addIdentities: [],
    removeIdentities: [],
    audit: auditRow(context, current.id, auditAction(changes), changes),
    statusTotals: {},
    // A session is checked against the row on every request anyway; ending it here means a
    // switched-off or deactivated customer never gets it back by being switched on again.
    endsHubSessions: changes.hubAccess?.to === false || changes.status?.to === 'deactivated',
  };
  // The rows held before and after, primary or not: a promote moves no identity row at all.
  const key = ([kind, value]: [IdentityKind, string]) => `${kind}:${value}`;
  const before = identitiesOf({
    email: current.email,
    phone: current.phone,
    additionalEmails: additional.emails,
    additionalPhones: additional.phones,
  });
  const after = identitiesOf(nextIdentities);
  const kept = new Set(after.map(key));
  const had = new Set(before.map(key));
  for (const [kind, value] of before)
    if (!kept.has(key([kind, value]))) write.removeIdentities.push({ kind, value });
  for (const [kind, value] of after)
    if (!had.has(key([kind, value])))
      write.addIdentities.push(identityRow(context, current.id, kind, value));
  if (changes.status) {
    write.statusTotals[current.status as CustomerStatus] = -1;
    write.statusTotals[row.status as CustomerStatus] = 1;
  }
  return write;
}

/** The organization, type and location ids a patch or new customer refers to, before and after. */
export function referencedIds(current: CustomerRow | undefined, patch: CustomerPatch): string[] {
  const ids = [
    current?.organization_id,
    current?.type_id,
    current?.default_location_id,
    patch.organizationId,
    patch.typeId,
    patch.defaultLocationId,
  ].filter((id): id is string => typeof id === 'string');
  return [...new Set(ids)];
}

/**
 * Erasure, the last write a customer gets. It happens in two steps, each one transaction:
 * `start` takes the customer out of matching (identities gone, status 'erasing', out of the
 * status totals), so mail arriving from the person while the rest of their data is removed
 * creates a new customer; `finish` removes the row and its audit entries and writes the one
 * Deleted Customers row, which holds only the redacted email and phone.
 */
export interface CustomerErasure {
  accountId: string;
  customerId: string;
  /** Undefined when the customer was already marked (a retried job). */
  start?: {
    row: CustomerRow;
    expectedVersion: number;
    statusTotals: CustomerWrite['statusTotals'];
  };
  log: DeletedCustomerTable;
}

export function buildErasure(
  context: Pick<WriteContext, 'accountId' | 'actor' | 'now'>,
  current: CustomerRow,
  request: { reason: DeletedCustomerTable['reason']; requestedAt: string },
): CustomerErasure {
  const marked = current.status === ERASING;
  const version = Number(current.version);
  return {
    accountId: context.accountId,
    customerId: current.id,
    start: marked
      ? undefined
      : {
          row: { ...current, status: ERASING, updated_at: context.now, version: version + 1 },
          expectedVersion: version,
          statusTotals: { [current.status as CustomerStatus]: -1 },
        },
    log: {
      account_id: context.accountId,
      id: newId(),
      customer_number: Number(current.number),
      email_redacted: current.email ? redactEmail(current.email) : null,
      phone_redacted: current.phone ? redactPhone(current.phone) : null,
      reason: request.reason,
      deleted_by_type: context.actor.type,
      deleted_by_id: context.actor.id,
      deleted_by_name: context.actor.name,
      requested_at: request.requestedAt,
      deleted_at: context.now,
    },
  };
}
