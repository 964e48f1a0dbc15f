// SQL for customers, their identities (email / phone, unique per account) and their audit trail.
import {
  PostgresAdapter,
  sql,
  type Kysely,
  type SelectQueryBuilder,
  type Transaction,
} from 'kysely';
import type { AuditEntry, Customer, CustomerStatus } from '../../common/customer.ts';
import type { Dialect } from '../db/connect.ts';
import type { CustomerAuditTable, CustomerRow, Database } from '../db/database.ts';
import { ConflictError } from '../errors.ts';
import { ALL, customerScope, type Scope } from '../access/scope.ts';
import {
  CHANGEABLE_COLUMNS,
  MERGE_COLUMNS,
  type CustomerErasure,
  type CustomerWrite,
} from './customer-write.ts';
import type { IdentityKind } from './identity.ts';
import { deleteCustomerHubSessions } from '../hub/hub-session.repository.ts';
import { keepDuplicateSuggestions } from '../duplicates/duplicate-upkeep.ts';
import { recordCustomerWrites } from '../webhooks/customer-events.ts';
import { chunks } from '../db/chunks.ts';

type Conn = Kysely<Database> | Transaction<Database>;

/** An audit entry as stored: organization and type by id, with the names they had then. */
export type StoredAuditEntry = AuditEntry & { refNames: Record<string, string> };

export type CustomerRowWithOrganization = CustomerRow & { organization_name?: string | null };

/** A customer's email addresses and phones besides the primary ones (issue 15). */
export interface AdditionalIdentities {
  emails: string[];
  phones: string[];
}
const NO_ADDITIONAL: AdditionalIdentities = { emails: [], phones: [] };

/**
 * The additional identities of these customers, one query for all of them (a list page is one
 * query, not one per row): every identity row that is not the row's primary, in the order
 * they were added. A customer without any is absent from the map.
 */
export async function additionalIdentitiesOf(
  db: Conn,
  accountId: string,
  customers: readonly Pick<CustomerRow, 'id' | 'email' | 'phone'>[],
): Promise<Map<string, AdditionalIdentities>> {
  const found = new Map<string, AdditionalIdentities>();
  if (customers.length === 0) return found;
  const byId = new Map(customers.map((c) => [c.id, c]));
  // 500 ids a statement stays under SQLite's bound-parameter limit (changeEach passes many).
  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('customer_identities')
      .select(['customer_id', 'kind', 'value'])
      .where('account_id', '=', accountId)
      .where('customer_id', 'in', ids.slice(i, i + 500))
      .orderBy('created_at')
      .orderBy('value')
      .execute();
    for (const row of rows) {
      const customer = byId.get(row.customer_id);
      if (!customer || row.value === customer[row.kind]) continue;
      let entry = found.get(row.customer_id);
      if (!entry) found.set(row.customer_id, (entry = { emails: [], phones: [] }));
      (row.kind === 'email' ? entry.emails : entry.phones).push(row.value);
    }
  }
  return found;
}

/** additionalIdentitiesOf for one customer. */
export async function additionalIdentitiesOfOne(
  db: Conn,
  row: Pick<CustomerRow, 'account_id' | 'id' | 'email' | 'phone'>,
): Promise<AdditionalIdentities> {
  return (
    (await additionalIdentitiesOf(db, row.account_id, [row])).get(row.id) ?? {
      emails: [],
      phones: [],
    }
  );
}

export function customerRowToCustomer(
  row: CustomerRowWithOrganization,
  additional: AdditionalIdentities = NO_ADDITIONAL,
): Customer {
  return {
    id: row.id,
    number: Number(row.number),
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    additionalEmails: additional.emails,
    additionalPhones: additional.phones,
    customAttributes: JSON.parse(row.custom_attributes) as Customer['customAttributes'],
    organizationId: row.organization_id,
    organizationName: row.organization_name ?? null,
    typeId: row.type_id,
    defaultLocationId: row.default_location_id,
    status: row.status as CustomerStatus,
    mergedInto: row.merged_into_id ?? null,
    hubAccess: row.hub_access === 1,
    createdVia: row.created_via,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActivityAt: row.last_activity_at ?? null,
    version: Number(row.version),
  };
}

/**
 * One customer by id; with a scope (access/scope.ts), one out of it is not found, exactly like a
 * missing one. Writes read the row unscoped (ALL) after the caller has checked the scope.
 */
export async function findCustomer(
  db: Conn,
  accountId: string,
  id: string,
  scope: Scope = ALL,
): Promise<CustomerRow | undefined> {
  const inScope = customerScope(scope);
  return db
    .selectFrom('customers')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .$if(inScope !== undefined, (q) => q.where(inScope!))
    .executeTakeFirst();
}

/** By the per-account reference number (the CLI's `kunde export 1234`), within the scope. */
export async function findCustomerByNumber(
  db: Conn,
  accountId: string,
  number: number,
  scope: Scope = ALL,
): Promise<CustomerRow | undefined> {
  const inScope = customerScope(scope);
  return db
    .selectFrom('customers')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('number', '=', number)
    .$if(inScope !== undefined, (q) => q.where(inScope!))
    .executeTakeFirst();
}

export interface CustomerFilter {
  status: CustomerStatus | 'all';
  /** Already folded with foldQuery(). */
  search?: string;
  /** Keyset position: only customers with a lower number. */
  beforeNumber?: number;
  /** An organization id, or 'none' for customers without one. */
  organizationId?: string;
  typeId?: string;
  /** SQLite: the FTS matches, when few enough to look up directly (see ftsCandidates). */
  rowids?: number[];
  /** Who is asking (access/scope.ts): every list, search and count is limited to it. */
  scope: Scope;
}

/** Few matches are cheaper to fetch by rowid than to check against while walking the list. */
export const FTS_DIRECT_LIMIT = 2000;

/**
 * SQLite search, step one: the FTS5 trigram matches, at most FTS_DIRECT_LIMIT + 1 of them
 * (about 0.2 ms at a million customers). Undefined when the query cannot use the index.
 */
export async function ftsCandidates(db: Conn, search: string): Promise<number[] | undefined> {
  if ([...search].length < 3) return undefined;
  const phrase = `"${search.replace(/"/g, '""')}"`;
  const rows = await sql<{
    rowid: number;
  }>`select rowid from customers_fts where customers_fts match ${phrase} limit ${FTS_DIRECT_LIMIT + 1}`.execute(
    db,
  );
  return rows.rows.map((r) => Number(r.rowid));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function applyFilter<O>(
  query: SelectQueryBuilder<Database, 'customers', O>,
  dialect: Dialect,
  accountId: string,
  filter: CustomerFilter,
): SelectQueryBuilder<Database, 'customers', O> {
  let q = query.where('customers.account_id', '=', accountId);
  if (filter.status !== 'all') q = q.where('customers.status', '=', filter.status);
  // A customer being erased, or merged into another (issue 15), is never listed, searched or
  // counted.
  else q = q.where('customers.status', 'not in', ['erasing', 'merged']);
  if (filter.organizationId === 'none') q = q.where('customers.organization_id', 'is', null);
  else if (filter.organizationId)
    q = q.where('customers.organization_id', '=', filter.organizationId);
  if (filter.typeId) q = q.where('customers.type_id', '=', filter.typeId);
  // The scope, for every list, search and count alike: the one place it is added. A search
  // passes no dialect: PostgreSQL then checks the few trigram matches against the id set's
  // branches by requester (a semi-join), rather than building the whole set first.
  const searching = filter.search !== undefined || filter.rowids !== undefined;
  const inScope = customerScope(filter.scope, 'customers', searching ? undefined : dialect);
  if (inScope) q = q.where(inScope);
  const search = filter.search;
  if (filter.rowids) {
    q = q.where(
      sql<boolean>`customers.rowid in (${sql.join(filter.rowids.length ? filter.rowids : [-1])})`,
    );
  } else if (search) {
    if (dialect === 'sqlite' && [...search].length >= 3) {
      // FTS5 trigram index: the query as one quoted phrase.
      const phrase = `"${search.replace(/"/g, '""')}"`;
      q = q.where(
        sql<boolean>`customers.rowid in (select rowid from customers_fts where customers_fts match ${phrase})`,
      );
    } else {
      // PostgreSQL: pg_trgm GIN serves LIKE '%…%'; SQLite with 1-2 characters scans.
      q = q.where(
        sql<boolean>`customers.search_text like ${`%${escapeLike(search)}%`} escape '\\'`,
      );
    }
  }
  return q;
}

export async function listCustomerRows(
  db: Conn,
  dialect: Dialect,
  accountId: string,
  filter: CustomerFilter,
  limit: number,
): Promise<CustomerRow[]> {
  let query = applyFilter(
    db.selectFrom('customers').selectAll('customers'),
    dialect,
    accountId,
    filter,
  );
  if (filter.beforeNumber !== undefined)
    query = query.where('customers.number', '<', filter.beforeNumber);
  return query.orderBy('customers.number', 'desc').limit(limit).execute();
}

/** Counts matches, stopping at `cap` + 1 (a search for "an" should not count half a million rows). */
export async function countCustomers(
  db: Conn,
  dialect: Dialect,
  accountId: string,
  filter: CustomerFilter,
  cap: number,
): Promise<number> {
  const matches = applyFilter(
    db.selectFrom('customers').select(sql<number>`1`.as('one')),
    dialect,
    accountId,
    filter,
  ).limit(cap + 1);
  const row = await db
    .selectFrom(matches.as('m'))
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

const STATUS_COUNTER = {
  active: 'customers.active',
  deactivated: 'customers.deactivated',
} as const;

/** Moves the per-status customer totals kept in counters (only once they exist; see statusTotal). */
export async function adjustStatusTotals(
  db: Conn,
  accountId: string,
  change: Partial<Record<string, number>>,
) {
  for (const [status, delta] of Object.entries(change) as [string, number][]) {
    if (!delta || !(status in STATUS_COUNTER)) continue;
    await db
      .updateTable('counters')
      .set({ value: sql<number>`value + ${delta}` })
      .where('account_id', '=', accountId)
      .where('name', '=', STATUS_COUNTER[status as keyof typeof STATUS_COUNTER])
      .execute();
  }
}

/**
 * The number of active or deactivated customers, from counters kept in the same transactions
 * as every create and status change; counted once (and remembered) when the counter is missing.
 */
export async function statusTotal(
  db: Conn,
  accountId: string,
  status: 'active' | 'deactivated',
): Promise<number> {
  const name = STATUS_COUNTER[status];
  const kept = await db
    .selectFrom('counters')
    .select('value')
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (kept) return Number(kept.value);
  const counted = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('account_id', '=', accountId)
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('counters')
    .values({ account_id: accountId, name, value: Number(counted.count) })
    .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
    .execute();
  return Number(counted.count);
}

export async function findIdentityOwner(
  db: Conn,
  accountId: string,
  kind: IdentityKind,
  value: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('customer_identities')
    .select('customer_id')
    .where('account_id', '=', accountId)
    .where('kind', '=', kind)
    .where('value', '=', value)
    .executeTakeFirst();
  return row?.customer_id;
}

/**
 * The customer an identity belongs to, as presented (organization name, every identity), in one
 * statement: a known sender's mail reads nothing else about them. One row per identity the
 * customer holds (at least the one matched); undefined when nobody holds it.
 */
export async function findCustomerByIdentity(
  db: Conn,
  accountId: string,
  kind: IdentityKind,
  value: string,
): Promise<{ row: CustomerRowWithOrganization; additional: AdditionalIdentities } | undefined> {
  const rows = await db
    .selectFrom('customer_identities as matched')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.account_id', '=', 'matched.account_id')
        .onRef('customers.id', '=', 'matched.customer_id'),
    )
    .innerJoin('customer_identities as held', (join) =>
      join
        .onRef('held.account_id', '=', 'customers.account_id')
        .onRef('held.customer_id', '=', 'customers.id'),
    )
    .leftJoin('organizations', (join) =>
      join
        .onRef('organizations.account_id', '=', 'customers.account_id')
        .onRef('organizations.id', '=', 'customers.organization_id'),
    )
    .selectAll('customers')
    .select([
      'organizations.name as organization_name',
      'held.kind as held_kind',
      'held.value as held_value',
    ])
    .where('matched.account_id', '=', accountId)
    .where('matched.kind', '=', kind)
    .where('matched.value', '=', value)
    .orderBy('held.created_at')
    .orderBy('held.value')
    .execute();
  const first = rows[0];
  if (!first) return undefined;
  const { held_kind: _kind, held_value: _value, ...row } = first;
  const additional: AdditionalIdentities = { emails: [], phones: [] };
  for (const held of rows) {
    if (held.held_value === row[held.held_kind]) continue;
    (held.held_kind === 'email' ? additional.emails : additional.phones).push(held.held_value);
  }
  return { row, additional };
}

export async function listAudit(
  db: Conn,
  accountId: string,
  customerId: string,
  limit: number,
  beforeId?: string,
): Promise<StoredAuditEntry[]> {
  let query = db
    .selectFrom('customer_audit')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId);
  if (beforeId) query = query.where('id', '<', beforeId);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    action: row.action,
    actor: {
      type: row.actor_type as AuditEntry['actor']['type'],
      id: row.actor_id,
      name: row.actor_name,
    },
    changes: JSON.parse(row.changes) as AuditEntry['changes'],
    refNames: JSON.parse(row.ref_names) as Record<string, string>,
    createdAt: row.created_at,
  }));
}

/** Writes an event entry (customer-write.ts buildAuditEvent) in the caller's transaction. */
export async function insertAuditEvent(db: Conn, entry: CustomerAuditTable): Promise<void> {
  await db.insertInto('customer_audit').values(entry).execute();
}

/** The customer's email and phone identities, oldest first (the data-rights archive). */
export async function identitiesOf(db: Conn, accountId: string, customerId: string) {
  return db
    .selectFrom('customer_identities')
    .select(['kind', 'value', 'created_at'])
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .orderBy('value')
    .execute();
}

export async function countAudit(db: Conn, accountId: string, customerId: string): Promise<number> {
  const row = await db
    .selectFrom('customer_audit')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Customers by id; with a scope, only those in it (the others are as good as missing). */
export async function findCustomers(
  db: Conn,
  accountId: string,
  ids: string[],
  scope: Scope = ALL,
): Promise<CustomerRow[]> {
  if (ids.length === 0) return [];
  const inScope = customerScope(scope);
  return db
    .selectFrom('customers')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .$if(inScope !== undefined, (q) => q.where(inScope!))
    .execute();
}

export async function customersOfType(
  db: Conn,
  accountId: string,
  typeId: string,
): Promise<CustomerRow[]> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('type_id', '=', typeId)
    .execute();
}

/**
 * The customer a write lands on (issue 15): the row held until the transaction ends (PostgreSQL
 * SELECT … FOR UPDATE; SQLite a no-op write, its write lock), and if it was merged into another,
 * that one instead, and so on. A message that resolved the duplicate just before its merge
 * committed waits here for the merge and lands on the survivor; a merge that starts after this
 * waits for the message, and moves its ticket.
 */
export async function lockCustomerFollowingMerges(
  trx: Conn,
  accountId: string,
  id: string,
): Promise<CustomerRow | undefined> {
  let next: string | null = id;
  for (let hops = 0; next && hops < 20; hops++) {
    const row = await lockCustomerRow(trx, accountId, next);
    if (!row || row.status !== 'merged' || !row.merged_into_id) return row;
    next = row.merged_into_id;
  }
  return undefined;
}

/**
 * One customer row, held until the transaction ends: SELECT … FOR UPDATE on PostgreSQL; on
 * SQLite a no-op write first, which takes the database's write lock (from another process too).
 */
export async function lockCustomerRow(
  trx: Conn,
  accountId: string,
  id: string,
): Promise<CustomerRow | undefined> {
  const postgres = trx.getExecutor().adapter instanceof PostgresAdapter;
  if (!postgres)
    await trx
      .updateTable('customers')
      .set((eb) => ({ version: eb.ref('version') }))
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute();
  return trx
    .selectFrom('customers')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .$if(postgres, (q) => q.forUpdate())
    .executeTakeFirst();
}

export async function touchCustomerActivity(
  db: Conn,
  accountId: string,
  customerId: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('customers')
    .set({ last_activity_at: at })
    .where('account_id', '=', accountId)
    .where('id', '=', customerId)
    .execute();
}

/**
 * Writes one customer write (customer-write.ts) in the caller's transaction: writeCustomers of
 * one. A stale version is a 409: someone changed the customer since it was read.
 */
export async function writeCustomer(db: Conn, write: CustomerWrite): Promise<void> {
  await writeCustomers(db, [write]);
}

/** The PostgreSQL type of each changeable column: a CASE of bare parameters is typed text. */
export const CHANGEABLE_COLUMN_TYPES: Record<(typeof CHANGEABLE_COLUMNS)[number], string> = {
  first_name: 'text',
  last_name: 'text',
  email: 'text',
  phone: 'text',
  status: 'text',
  custom_attributes: 'jsonb',
  organization_id: 'text',
  type_id: 'text',
  email_domain: 'text',
  search_text: 'text',
  updated_at: 'timestamptz',
  version: 'integer',
  import_id: 'text',
  import_row: 'integer',
  default_location_id: 'text',
  hub_access: 'integer',
};

/**
 * Changed rows a statement (18 parameters each). SQLite's UPDATE … FROM slows down past a few
 * dozen rows (measured on the 3,000-customer organization merge); PostgreSQL gains from fewer
 * round trips up to about a thousand, and stays under its 65,535 parameters.
 */
const CHANGES_PER_STATEMENT = { sqlite: 50, postgres: 1000 };

/** One change: every changeable column (and a merge's own) from the row, if the version held. */
async function updateOne(db: Conn, write: CustomerWrite): Promise<number> {
  const { row } = write;
  const columns = write.merge ? [...CHANGEABLE_COLUMNS, ...MERGE_COLUMNS] : CHANGEABLE_COLUMNS;
  const set = Object.fromEntries(columns.map((c) => [c, row[c]]));
  const result = await db
    .updateTable('customers')
    .set(set)
    .where('account_id', '=', row.account_id)
    .where('id', '=', row.id)
    .where('version', '=', write.expectedVersion ?? -1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Many changes of one account in one statement, the same columns updateOne writes: the rows as
 * a VALUES list joined on id (UPDATE … FROM, PostgreSQL and SQLite alike), each written only if
 * it still has the version it was read at.
 */
async function updateMany(db: Conn, writes: CustomerWrite[]): Promise<number> {
  const accountId = writes[0]?.row.account_id ?? '';
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // PostgreSQL types a VALUES list's parameters as text; each is cast to its column's type.
  const typed = (type: string, value: unknown) =>
    postgres ? sql`cast(${value} as ${sql.raw(type)})` : sql`${value}`;
  const values = writes.map(
    (w) =>
      sql`(${sql.join([
        sql`${w.row.id}`,
        typed('integer', w.expectedVersion ?? -1),
        ...CHANGEABLE_COLUMNS.map((c) => typed(CHANGEABLE_COLUMN_TYPES[c], w.row[c] ?? null)),
      ])})`,
  );
  const columns = sql.raw(['id', 'expected_version', ...CHANGEABLE_COLUMNS].join(', '));
  const assignments = sql.raw(CHANGEABLE_COLUMNS.map((c) => `${c} = v.${c}`).join(', '));
  const result = await sql`with v(${columns}) as (values ${sql.join(values)})
    update customers set ${assignments} from v
    where customers.account_id = ${accountId} and customers.id = v.id
      and customers.version = v.expected_version`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Writes customer writes (customer-write.ts) in the caller's transaction, a statement per few
 * hundred rows rather than per customer: identities freed first, new rows inserted, changed ones
 * updated if they still have the version they were read at (a stale one is a 409, and the
 * caller's transaction is undone), the identities added, the audit entries, the status totals,
 * the Hub sessions that end, then what follows every write (afterCustomerWrites). One at a time
 * (the API) and many (moving customers, an organization merge) are the same writes.
 */
export async function writeCustomers(db: Conn, writes: CustomerWrite[]): Promise<void> {
  const first = writes[0];
  if (!first) return;
  const accountId = first.row.account_id;
  for (const write of writes)
    for (const identity of write.removeIdentities)
      await db
        .deleteFrom('customer_identities')
        .where('account_id', '=', accountId)
        .where('kind', '=', identity.kind)
        .where('value', '=', identity.value)
        .where('customer_id', '=', write.row.id)
        .execute();
  const created = writes.filter((w) => w.expectedVersion === undefined);
  for (const part of chunks(created, 20))
    await db
      .insertInto('customers')
      .values(part.map((w) => w.row))
      .execute();
  // A merge's own write (its extra columns) one at a time: a merge writes two customers.
  const changed = writes.filter((w) => w.expectedVersion !== undefined);
  const single = changed.length === 1 ? changed : changed.filter((w) => w.merge);
  const batched = changed.length === 1 ? [] : changed.filter((w) => !w.merge);
  let updated = 0;
  for (const write of single) updated += await updateOne(db, write);
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const perStatement = CHANGES_PER_STATEMENT[postgres ? 'postgres' : 'sqlite'];
  for (const part of chunks(batched, perStatement)) updated += await updateMany(db, part);
  if (updated !== changed.length)
    throw new ConflictError(
      'version_conflict',
      'The customer was changed at the same time; reload and try again',
    );
  for (const part of chunks(
    writes.flatMap((w) => w.addIdentities),
    200,
  ))
    await db.insertInto('customer_identities').values(part).execute();
  for (const part of chunks(
    writes.flatMap((w) => (w.audit ? [w.audit] : [])),
    200,
  ))
    await db.insertInto('customer_audit').values(part).execute();
  const totals: Partial<Record<CustomerStatus, number>> = {};
  for (const w of writes)
    for (const [status, delta] of Object.entries(w.statusTotals) as [CustomerStatus, number][])
      totals[status] = (totals[status] ?? 0) + delta;
  await adjustStatusTotals(db, accountId, totals);
  for (const write of writes)
    if (write.endsHubSessions) await deleteCustomerHubSessions(db, accountId, write.row.id);
  await afterCustomerWrites(db, writes);
}

/**
 * What follows every customer write, in its transaction: duplicate suggestion upkeep (so a
 * suggestion is never missing for a customer that was written) and the webhook events. The
 * writers call it: writeCustomers, the import's bulk writer, and an organization merge's undo,
 * which puts its customers' rows back set-based (server/merge/organization-merge-moves.repository.ts).
 */
export async function afterCustomerWrites(db: Conn, writes: CustomerWrite[]): Promise<void> {
  await keepDuplicateSuggestions(db, writes);
  await recordCustomerWrites(db, writes);
}

/**
 * Erasure's first step (customer-write.ts buildErasure) for customers of one account, in the
 * caller's transaction: the identities go, so findOrCreateBySender never returns them again,
 * and each row is marked 'erasing' (checked against the version it was read at) and leaves the
 * status totals. A customer already marked only loses what identities are left.
 */
export async function startErasures(
  db: Conn,
  accountId: string,
  erasures: CustomerErasure[],
): Promise<void> {
  for (let i = 0; i < erasures.length; i += 500)
    await db
      .deleteFrom('customer_identities')
      .where('account_id', '=', accountId)
      .where(
        'customer_id',
        'in',
        erasures.slice(i, i + 500).map((e) => e.customerId),
      )
      .execute();
  const totals: Record<string, number> = {};
  for (const erasure of erasures) {
    const start = erasure.start;
    if (!start) continue;
    const result = await db
      .updateTable('customers')
      .set({
        status: start.row.status,
        updated_at: start.row.updated_at,
        version: start.row.version,
      })
      .where('account_id', '=', accountId)
      .where('id', '=', erasure.customerId)
      .where('version', '=', start.expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1)
      throw new ConflictError(
        'version_conflict',
        'The customer was changed at the same time; reload and try again',
      );
    for (const [status, delta] of Object.entries(start.statusTotals))
      totals[status] = (totals[status] ?? 0) + (delta ?? 0);
  }
  await adjustStatusTotals(db, accountId, totals);
}

/**
 * Erasure's last step for customers of one account, in the caller's transaction: their audit
 * entries and rows go (on SQLite the customers_fts triggers drop the search entries with them)
 * and each Deleted Customers row is written once: a second erasure of the same number writes
 * nothing.
 */
export async function finishErasures(
  db: Conn,
  accountId: string,
  erasures: CustomerErasure[],
): Promise<void> {
  // 500 ids a statement stays under SQLite's bound-parameter limit with room to spare.
  for (let i = 0; i < erasures.length; i += 500) {
    const group = erasures.slice(i, i + 500);
    const ids = group.map((e) => e.customerId);
    for (const table of ['customer_audit', 'customer_identities'] as const)
      await db
        .deleteFrom(table)
        .where('account_id', '=', accountId)
        .where('customer_id', 'in', ids)
        .execute();
    await db
      .deleteFrom('customers')
      .where('account_id', '=', accountId)
      .where('id', 'in', ids)
      .execute();
    // 11 columns a row: 50 rows a statement.
    for (let j = 0; j < group.length; j += 50)
      await db
        .insertInto('deleted_customers')
        .values(group.slice(j, j + 50).map((e) => e.log))
        .onConflict((oc) => oc.columns(['account_id', 'customer_number']).doNothing())
        .execute();
  }
}
