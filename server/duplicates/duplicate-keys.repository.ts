// SQL for keeping duplicate suggestions up (duplicate-upkeep.ts): a customer's match keys, and
// the candidates a batch of customers has, each found by an index (the identities' primary key,
// its range for `ola+…@x.no`, the match keys' primary key), a statement per kind and batch.
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { CustomerMatchKeyTable, Database } from '../db/database.ts';
import { chunks } from '../db/chunks.ts';

type Conn = Kysely<Database> | Transaction<Database>;

/** Ids a statement: well under SQLite's bound-parameter limit. */
const CHUNK = 500;

function isPostgres(db: Conn): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Ids a statement on this database: 500 on SQLite (its bound-parameter limit), 5,000 on
 * PostgreSQL, where each statement is a round trip and a million-row import's upkeep spent
 * most of its time waiting on 500-id statements (issue 15's note).
 */
function chunksFor<T>(db: Conn, items: T[]): T[][] {
  return chunks(items, isPostgres(db) ? 5000 : CHUNK);
}

/** Deletes the keys of these customers (those changed: a new one has none yet). */
export async function deleteMatchKeys(db: Conn, accountId: string, customerIds: string[]) {
  for (const ids of chunksFor(db, customerIds))
    await db
      .deleteFrom('customer_match_keys')
      .where('account_id', '=', accountId)
      .where('customer_id', 'in', ids)
      .execute();
}

export async function insertMatchKeys(db: Conn, rows: CustomerMatchKeyTable[]) {
  if (isPostgres(db)) {
    // One statement per 5,000 keys from arrays: 100-row VALUES lists were a round trip per 100
    // keys, and at a million imported customers the upkeep's inserts alone cost a minute.
    const byAccount = new Map<string, CustomerMatchKeyTable[]>();
    for (const row of rows) {
      const list = byAccount.get(row.account_id);
      if (list) list.push(row);
      else byAccount.set(row.account_id, [row]);
    }
    for (const [accountId, list] of byAccount)
      for (const group of chunks(list, 5000))
        await sql`insert into customer_match_keys (account_id, kind, key, customer_id, detail)
          select ${accountId}, k.kind, k.key, k.customer_id, k.detail
          from unnest(${group.map((r) => r.kind)}::text[], ${group.map((r) => r.key)}::text[],
                      ${group.map((r) => r.customer_id)}::text[],
                      ${group.map((r) => r.detail)}::text[]) as k(kind, key, customer_id, detail)
          on conflict (account_id, kind, key, customer_id) do nothing`.execute(db);
    return;
  }
  // Five columns a row: 100 rows a statement.
  for (const group of chunks(rows, 100))
    await db
      .insertInto('customer_match_keys')
      .values(group)
      .onConflict((oc) => oc.columns(['account_id', 'kind', 'key', 'customer_id']).doNothing())
      .execute();
}

/** Every customer kept under one of these keys. */
export async function customersWithKeys(
  db: Conn,
  accountId: string,
  kind: 'name' | 'phone',
  keys: string[],
): Promise<CustomerMatchKeyTable[]> {
  const out: CustomerMatchKeyTable[] = [];
  for (const group of chunksFor(db, [...new Set(keys)]))
    out.push(
      ...(await db
        .selectFrom('customer_match_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('key', 'in', group)
        .execute()),
    );
  return out;
}

export interface IdentityHit {
  kind: string;
  value: string;
  customer_id: string;
}

/** The owners of these identities (primary or additional). */
export async function identityOwners(
  db: Conn,
  accountId: string,
  kind: 'email' | 'phone',
  values: string[],
): Promise<IdentityHit[]> {
  const out: IdentityHit[] = [];
  for (const group of chunksFor(db, [...new Set(values)]))
    out.push(
      ...(await db
        .selectFrom('customer_identities')
        .select(['kind', 'value', 'customer_id'])
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('value', 'in', group)
        .execute()),
    );
  return out;
}

/** Every identity of these customers (a changed customer's, read after its write). */
export async function identitiesOfCustomers(
  db: Conn,
  accountId: string,
  customerIds: string[],
): Promise<IdentityHit[]> {
  const out: IdentityHit[] = [];
  for (const group of chunksFor(db, customerIds))
    out.push(
      ...(await db
        .selectFrom('customer_identities')
        .select(['kind', 'value', 'customer_id'])
        .where('account_id', '=', accountId)
        .where('customer_id', 'in', group)
        .execute()),
    );
  return out;
}

/** A range of email identities: from ≤ value < to, ending in suffix (`@domain`). */
export interface EmailRange {
  from: string;
  to: string;
  suffix: string;
}

/** Addresses with subaddresses this many a range at most (a mailing list's would be many). */
const PER_RANGE = 20;

/**
 * The email identities in each range, one statement a chunk of ranges: a join of the ranges
 * with the identities' primary key (account, 'email', value) read as a range per row.
 */
export async function emailsInRanges(
  db: Conn,
  accountId: string,
  ranges: EmailRange[],
): Promise<IdentityHit[]> {
  const out: IdentityHit[] = [];
  const postgres = isPostgres(db);
  for (const group of chunks(ranges, 1000)) {
    if (postgres) {
      const { rows } = await sql<IdentityHit>`
          select i.kind, i.value, i.customer_id
          from unnest(${group.map((r) => r.from)}::text[], ${group.map((r) => r.to)}::text[],
                      ${group.map((r) => `%${r.suffix}`)}::text[]) as v(lo, hi, suffix)
          cross join lateral (
            select kind, value, customer_id from customer_identities
            where account_id = ${accountId} and kind = 'email' and value >= v.lo and value < v.hi
              and value like v.suffix
            limit ${PER_RANGE}) i`.execute(db);
      out.push(...rows);
      continue;
    }
    // SQLite has no LATERAL, but its CROSS JOIN keeps the left table as the outer loop, and the
    // primary key is named so each range walks it from its lower bound whatever the statistics
    // say: statistics taken when the table was small (on open, see connect.ts) made the planner
    // scan every identity per range while an import grew it, and a statement per range cost
    // 2.5 ms each through Kysely; either way an import batch held the write lock for seconds
    // while intake waited. The per-range cap is applied here.
    const { rows } = await sql<IdentityHit & { range: number }>`
        select v.key as range, i.kind, i.value, i.customer_id
        from json_each(${JSON.stringify(group.map((r) => [r.from, r.to, `%${r.suffix}`]))}) v
        cross join customer_identities i indexed by sqlite_autoindex_customer_identities_1
        where i.account_id = ${accountId} and i.kind = 'email'
          and i.value >= v.value ->> '$[0]' and i.value < v.value ->> '$[1]'
          and i.value like v.value ->> '$[2]'`.execute(db);
    const perRange = new Map<number, number>();
    for (const { range, ...hit } of rows) {
      const seen = perRange.get(range) ?? 0;
      if (seen >= PER_RANGE) continue;
      perRange.set(range, seen + 1);
      out.push(hit);
    }
  }
  return out;
}

/** Of these customers, those that can be suggested: not merged away, not being erased. */
export async function liveCustomers(
  db: Conn,
  accountId: string,
  customerIds: string[],
): Promise<Set<string>> {
  const live = new Set<string>();
  for (const group of chunksFor(db, [...new Set(customerIds)])) {
    const rows = await db
      .selectFrom('customers')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', 'in', group)
      .where('status', 'not in', ['merged', 'erasing'])
      .execute();
    for (const row of rows) live.add(row.id);
  }
  return live;
}
