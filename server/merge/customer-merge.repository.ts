// SQL for merging two customers (issue 15): the row locks, moving every row that points at the
// duplicate to the survivor (and back, for an undo, by the ids the journal kept), and the
// customer_merges records. Every statement is scoped by account; a move returns the ids it moved
// so the journal can name them and an undo moves exactly those back, never rows written later.
import { PostgresAdapter, type Transaction } from 'kysely';
import { lockCustomerRow } from '../customers/customer.repository.ts';
import type {
  CustomerIdentityTable,
  CustomerRow,
  Database,
  DuplicateSuggestionTable,
  HubLoginTable,
  HubOrganizationGrantTable,
  MergeTable,
  NotificationGroupMemberRow,
} from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';
import { chunks } from '../db/chunks.ts';

type Trx = Transaction<Database>;
type Selectable<T> = { [K in keyof T]: T[K] };

/** Ids a statement at most: SQLite's bound-parameter limit with room to spare. */
const CHUNK = 500;

const inChunks = <T>(items: T[]) => chunks(items, CHUNK);

/**
 * Both customers, their rows held until the transaction ends, so nothing writes either of them
 * (an email resolving the duplicate, an edit, another merge) between the plan and its writes.
 * PostgreSQL: SELECT … FOR UPDATE in id order (two merges of one pair never deadlock). SQLite: a
 * no-op write first, which takes the database's write lock (from another process too).
 */
export async function lockCustomers(
  trx: Trx,
  accountId: string,
  ids: string[],
): Promise<CustomerRow[]> {
  const rows: CustomerRow[] = [];
  for (const id of [...new Set(ids)].sort()) {
    const row = await lockCustomerRow(trx, accountId, id);
    if (row) rows.push(row);
  }
  return rows;
}

export async function identitiesOfCustomers(
  db: Conn,
  accountId: string,
  customerIds: string[],
): Promise<CustomerIdentityTable[]> {
  return db
    .selectFrom('customer_identities')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('customer_id', 'in', customerIds)
    .orderBy('created_at')
    .orderBy('kind')
    .orderBy('value')
    .execute();
}

/** customer_id of the given identities, whoever holds them now (the undo's check). */
export async function identityOwners(
  db: Conn,
  accountId: string,
  identities: { kind: string; value: string }[],
): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const kind of ['email', 'phone'] as const) {
    const values = identities.filter((i) => i.kind === kind).map((i) => i.value);
    for (const group of inChunks(values)) {
      const rows = await db
        .selectFrom('customer_identities')
        .select(['value', 'customer_id'])
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('value', 'in', group)
        .execute();
      for (const row of rows) owners.set(`${kind}:${row.value}`, row.customer_id);
    }
  }
  return owners;
}

/** The rows a merge moves by changing one customer column: table, key and column. */
export const MOVABLE = {
  tickets: { table: 'tickets', column: 'requester_id' },
  messages: { table: 'ticket_messages', column: 'customer_id' },
  identities: { table: 'customer_identities', column: 'customer_id' },
  auditEntries: { table: 'customer_audit', column: 'customer_id' },
  contracts: { table: 'contracts', column: 'customer_contact_id' },
  exports: { table: 'customer_exports', column: 'customer_id' },
} as const;
export type MovableKind = keyof typeof MOVABLE;

/**
 * Points every row of a kind that names `from` at `to`, returning the moved rows' keys
 * (identities by kind:value, the rest by id).
 */
export async function moveAll(
  trx: Trx,
  accountId: string,
  kind: MovableKind,
  from: string,
  to: string,
): Promise<string[]> {
  if (kind === 'identities') {
    const rows = await trx
      .updateTable('customer_identities')
      .set({ customer_id: to })
      .where('account_id', '=', accountId)
      .where('customer_id', '=', from)
      .returning(['kind', 'value'])
      .execute();
    return rows.map((r) => `${r.kind}:${r.value}`);
  }
  const { table, column } = MOVABLE[kind];
  // One statement per kind; the table is one of MOVABLE's, never a caller's text.
  const rows = await trx
    .updateTable(table as 'tickets')
    .set({ [column]: to } as never)
    .where('account_id', '=', accountId)
    .where(column as 'requester_id', '=', from)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The undo: the rows the journal names point back at `to`, if they still point at `from` (a row
 * moved on since, or deleted, is left as it is). Returns how many moved back.
 */
export async function moveBack(
  trx: Trx,
  accountId: string,
  kind: MovableKind,
  keys: string[],
  from: string,
  to: string,
): Promise<number> {
  let moved = 0;
  if (kind === 'identities') {
    for (const identityKind of ['email', 'phone'] as const) {
      const values = keys
        .filter((k) => k.startsWith(`${identityKind}:`))
        .map((k) => k.slice(identityKind.length + 1));
      for (const group of inChunks(values)) {
        const result = await trx
          .updateTable('customer_identities')
          .set({ customer_id: to })
          .where('account_id', '=', accountId)
          .where('kind', '=', identityKind)
          .where('value', 'in', group)
          .where('customer_id', '=', from)
          .executeTakeFirst();
        moved += Number(result.numUpdatedRows);
      }
    }
    return moved;
  }
  const { table, column } = MOVABLE[kind];
  for (const group of inChunks(keys)) {
    const result = await trx
      .updateTable(table as 'tickets')
      .set({ [column]: to } as never)
      .where('account_id', '=', accountId)
      .where('id', 'in', group)
      .where(column as 'requester_id', '=', from)
      .executeTakeFirst();
    moved += Number(result.numUpdatedRows);
  }
  return moved;
}

/** The customer's rows in notification groups. */
export function groupMembershipsOf(trx: Conn, accountId: string, customerId: string) {
  return trx
    .selectFrom('notification_group_members')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('kind', '=', 'customer')
    .where('customer_id', '=', customerId)
    .execute();
}

export async function pointMembership(
  trx: Trx,
  accountId: string,
  memberId: string,
  customerId: string,
): Promise<void> {
  await trx
    .updateTable('notification_group_members')
    .set({ customer_id: customerId, member_key: `customer:${customerId}` })
    .where('account_id', '=', accountId)
    .where('id', '=', memberId)
    .execute();
}

export async function deleteMemberships(trx: Trx, accountId: string, ids: string[]) {
  for (const group of inChunks(ids))
    await trx
      .deleteFrom('notification_group_members')
      .where('account_id', '=', accountId)
      .where('id', 'in', group)
      .execute();
}

export async function restoreMemberships(trx: Trx, rows: NotificationGroupMemberRow[]) {
  for (const row of rows)
    await trx
      .insertInto('notification_group_members')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export function hubLoginOf(trx: Conn, accountId: string, customerId: string) {
  return trx
    .selectFrom('hub_logins')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}

export async function pointHubLogin(trx: Trx, accountId: string, from: string, to: string) {
  await trx
    .updateTable('hub_logins')
    .set({ customer_id: to })
    .where('account_id', '=', accountId)
    .where('customer_id', '=', from)
    .execute();
}

export async function deleteHubLogin(trx: Trx, accountId: string, customerId: string) {
  await trx
    .deleteFrom('hub_logins')
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .execute();
}

export async function insertHubLogin(trx: Trx, row: Selectable<HubLoginTable>) {
  await trx
    .insertInto('hub_logins')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function hubGrantsOf(trx: Conn, accountId: string, customerId: string) {
  return trx
    .selectFrom('hub_organization_grants')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .execute();
}

export async function pointHubGrant(
  trx: Trx,
  accountId: string,
  organizationId: string,
  from: string,
  to: string,
) {
  await trx
    .updateTable('hub_organization_grants')
    .set({ customer_id: to })
    .where('account_id', '=', accountId)
    .where('customer_id', '=', from)
    .where('organization_id', '=', organizationId)
    .execute();
}

export async function deleteHubGrant(
  trx: Trx,
  accountId: string,
  customerId: string,
  organizationId: string,
) {
  await trx
    .deleteFrom('hub_organization_grants')
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .where('organization_id', '=', organizationId)
    .execute();
}

export async function insertHubGrants(trx: Trx, rows: Selectable<HubOrganizationGrantTable>[]) {
  for (const row of rows)
    await trx
      .insertInto('hub_organization_grants')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

/** The duplicate's Hub sessions and unused links end: its id no longer signs anyone in. */
export async function endHubAccessOf(trx: Trx, accountId: string, customerId: string) {
  await trx
    .deleteFrom('hub_sessions')
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .execute();
  await trx
    .deleteFrom('hub_tokens')
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .execute();
}

/** Suggestions naming the customer: gone with the merge (the pair is one now), kept for undo. */
export async function takeSuggestionsOf(
  trx: Trx,
  accountId: string,
  customerId: string,
): Promise<Selectable<DuplicateSuggestionTable>[]> {
  const rows = await trx
    .selectFrom('duplicate_suggestions')
    .selectAll()
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('customer_a', '=', customerId), eb('customer_b', '=', customerId)]))
    .execute();
  await deleteSuggestions(
    trx,
    accountId,
    rows.map((r) => r.id),
  );
  return rows;
}

async function deleteSuggestions(trx: Trx, accountId: string, ids: string[]) {
  for (const group of inChunks(ids))
    await trx
      .deleteFrom('duplicate_suggestions')
      .where('account_id', '=', accountId)
      .where('id', 'in', group)
      .execute();
}

export async function restoreSuggestions(
  trx: Trx,
  rows: Selectable<DuplicateSuggestionTable>[],
): Promise<void> {
  for (const row of rows)
    await trx
      .insertInto('duplicate_suggestions')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export async function insertMerge(trx: Trx, row: MergeTable): Promise<void> {
  await trx.insertInto('customer_merges').values(row).execute();
}

export function findMerge(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('customer_merges')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The merge row held until the transaction ends (two undos of one merge: the second waits). */
export async function lockMerge(trx: Trx, accountId: string, id: string) {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter))
    await trx
      .updateTable('customer_merges')
      .set((eb) => ({ id: eb.ref('id') }))
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute();
  let q = trx
    .selectFrom('customer_merges')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id);
  if (trx.getExecutor().adapter instanceof PostgresAdapter) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function markUndone(
  trx: Trx,
  accountId: string,
  id: string,
  at: string,
  by: string,
): Promise<void> {
  await trx
    .updateTable('customer_merges')
    .set({ undone_at: at, undone_by_name: by })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

/** The merges into a customer, newest first. */
export function mergesInto(db: Conn, accountId: string, survivorId: string, limit: number) {
  return db
    .selectFrom('customer_merges')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('survivor_id', '=', survivorId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Erasure: the journal rows that hold a copy of any of these customers. */
export async function deleteMergesOf(
  db: Conn,
  accountId: string,
  customerIds: string[],
): Promise<void> {
  for (const group of inChunks(customerIds))
    for (const side of ['survivor_id', 'merged_id'] as const)
      await db
        .deleteFrom('customer_merges')
        .where('account_id', '=', accountId)
        .where(side, 'in', group)
        .execute();
}

/** Erasure: the merged-away customers that point at these (and at those, and so on). */
export async function mergedAwayInto(
  db: Conn,
  accountId: string,
  customerIds: string[],
): Promise<string[]> {
  const found: string[] = [];
  let frontier = customerIds;
  while (frontier.length) {
    const next: string[] = [];
    for (const group of inChunks(frontier)) {
      const rows = await db
        .selectFrom('customers')
        .select('id')
        .where('account_id', '=', accountId)
        .where('merged_into_id', 'in', group)
        .execute();
      next.push(...rows.map((r) => r.id));
    }
    found.push(...next);
    frontier = next;
  }
  return found;
}
