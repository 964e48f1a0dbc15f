// SQL for duplicate suggestions: one row per pair (customer_a < customer_b), written by upkeep,
// listed newest first for those who see both customers, counted for the menu, dismissed for good;
// and forgotten with a customer that is merged away or erased.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DuplicateSuggestionTable } from '../db/database.ts';
import { customerScope, type Scope } from '../access/scope.ts';
import { chunks } from '../db/chunks.ts';

type Conn = Kysely<Database> | Transaction<Database>;

/** Statuses of a customer that is never suggested (and whose pairs are forgotten). */
export const GONE_STATUSES = ['merged', 'erasing'] as const;

/** The stored rows of these pairs, by "a b". */
export async function findPairs(
  db: Conn,
  accountId: string,
  pairs: { a: string; b: string }[],
): Promise<Map<string, DuplicateSuggestionTable>> {
  const found = new Map<string, DuplicateSuggestionTable>();
  const wanted = new Set(pairs.map((p) => `${p.a} ${p.b}`));
  for (const group of chunks(pairs, 250)) {
    const rows = await db
      .selectFrom('duplicate_suggestions')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('customer_a', 'in', [...new Set(group.map((p) => p.a))])
      .where('customer_b', 'in', [...new Set(group.map((p) => p.b))])
      .execute();
    for (const row of rows) {
      const key = `${row.customer_a} ${row.customer_b}`;
      if (wanted.has(key)) found.set(key, row);
    }
  }
  return found;
}

/** New pairs; one a concurrent writer inserted first is left as it is (its reasons stand). */
export async function insertSuggestions(db: Conn, rows: DuplicateSuggestionTable[]) {
  // Ten columns a row: 50 rows a statement.
  for (const group of chunks(rows, 50))
    await db
      .insertInto('duplicate_suggestions')
      .values(group)
      .onConflict((oc) => oc.columns(['account_id', 'customer_a', 'customer_b']).doNothing())
      .execute();
}

/** More reasons for an open pair (a dismissed one is never written again). */
export async function updateReasons(
  db: Conn,
  accountId: string,
  id: string,
  reasons: string,
  now: string,
) {
  await db
    .updateTable('duplicate_suggestions')
    .set({ reasons, updated_at: now })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('dismissed_at', 'is', null)
    .execute();
}

/** Removes every pair and match key of these customers (merged away, being erased). */
export async function forgetCustomers(db: Conn, accountId: string, customerIds: string[]) {
  for (const ids of chunks(customerIds, 500)) {
    for (const side of ['customer_a', 'customer_b'] as const)
      await db
        .deleteFrom('duplicate_suggestions')
        .where('account_id', '=', accountId)
        .where(side, 'in', ids)
        .execute();
    await db
      .deleteFrom('customer_match_keys')
      .where('account_id', '=', accountId)
      .where('customer_id', 'in', ids)
      .execute();
  }
}

export interface SuggestionFilter {
  scope: Scope;
  customerId?: string;
  /** Keyset position: only those before it, newest first. */
  before?: { createdAt: string; id: string };
}

/**
 * The open pairs whose two customers are both live and both in the scope, newest first. The
 * two customers are read by primary key for each pair, so the walk follows the open index.
 */
function openPairs(db: Conn, accountId: string, filter: SuggestionFilter) {
  const scopeA = customerScope(filter.scope, 'ca');
  const scopeB = customerScope(filter.scope, 'cb');
  let q = db
    .selectFrom('duplicate_suggestions as s')
    .innerJoin('customers as ca', (j) =>
      j.onRef('ca.account_id', '=', 's.account_id').onRef('ca.id', '=', 's.customer_a'),
    )
    .innerJoin('customers as cb', (j) =>
      j.onRef('cb.account_id', '=', 's.account_id').onRef('cb.id', '=', 's.customer_b'),
    )
    .where('s.account_id', '=', accountId)
    .where('s.dismissed_at', 'is', null)
    .where('ca.status', 'not in', [...GONE_STATUSES])
    .where('cb.status', 'not in', [...GONE_STATUSES]);
  if (scopeA) q = q.where(scopeA);
  if (scopeB) q = q.where(scopeB);
  if (filter.customerId) {
    const id = filter.customerId;
    q = q.where((eb) => eb.or([eb('s.customer_a', '=', id), eb('s.customer_b', '=', id)]));
  }
  return q;
}

export async function listOpenSuggestions(
  db: Conn,
  accountId: string,
  filter: SuggestionFilter,
  limit: number,
): Promise<DuplicateSuggestionTable[]> {
  let q = openPairs(db, accountId, filter).selectAll('s');
  const before = filter.before;
  if (before)
    q = q.where((eb) =>
      eb.or([
        eb('s.created_at', '<', before.createdAt),
        eb.and([eb('s.created_at', '=', before.createdAt), eb('s.id', '<', before.id)]),
      ]),
    );
  return q.orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(limit).execute();
}

/** The open pairs counted, stopping past `cap` (the menu shows "999+", not a slow count). */
export async function countOpenSuggestions(
  db: Conn,
  accountId: string,
  filter: SuggestionFilter,
  cap: number,
): Promise<number> {
  const matches = openPairs(db, accountId, filter)
    .select(sql<number>`1`.as('one'))
    .limit(cap + 1);
  const row = await db
    .selectFrom(matches.as('m'))
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** One open or dismissed pair by id, if both its customers are live and in the scope. */
export async function findSuggestion(
  db: Conn,
  accountId: string,
  id: string,
  scope: Scope,
): Promise<DuplicateSuggestionTable | undefined> {
  const scopeA = customerScope(scope, 'ca');
  const scopeB = customerScope(scope, 'cb');
  let q = db
    .selectFrom('duplicate_suggestions as s')
    .innerJoin('customers as ca', (j) =>
      j.onRef('ca.account_id', '=', 's.account_id').onRef('ca.id', '=', 's.customer_a'),
    )
    .innerJoin('customers as cb', (j) =>
      j.onRef('cb.account_id', '=', 's.account_id').onRef('cb.id', '=', 's.customer_b'),
    )
    .selectAll('s')
    .where('s.account_id', '=', accountId)
    .where('s.id', '=', id)
    .where('ca.status', 'not in', [...GONE_STATUSES])
    .where('cb.status', 'not in', [...GONE_STATUSES]);
  if (scopeA) q = q.where(scopeA);
  if (scopeB) q = q.where(scopeB);
  return q.executeTakeFirst();
}

/** Dismisses a pair once: a second dismissal leaves who and when as they were. */
export async function dismissSuggestion(
  db: Conn,
  accountId: string,
  id: string,
  by: string,
  now: string,
) {
  await db
    .updateTable('duplicate_suggestions')
    .set({ dismissed_at: now, dismissed_by: by, updated_at: now })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('dismissed_at', 'is', null)
    .execute();
}
