// SQL for the sorted customer list (issue 16): one page in any of the list's sort orders, read
// as a walk along an index (20261206T0100_customer_sorts) from a keyset position, never a sort
// of the account's customers. The filter, search and scope are the list's own (applyFilter),
// so a sorted page holds exactly the customers the unsorted one would.
import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { CustomerSort } from '../../common/customer-list.ts';
import type { Dialect } from '../db/connect.ts';
import type { CustomerRow, Database } from '../db/database.ts';
import { applyFilter, type CustomerFilter } from './customer.repository.ts';

type Conn = Kysely<Database> | Transaction<Database>;

/**
 * Where a page starts: after this customer in the walk. `k` is the sort key's value (not for
 * number and organization), `o` the organization's name_key and `g` its id ('' for customers
 * without an organization), `n` the customer's number, the tie-breaker of every sort.
 */
export interface SortPosition {
  n: number;
  k?: string;
  o?: string;
  g?: string;
}

export interface SortWalk {
  sort: CustomerSort;
  /** The direction of the walk: the page's order, or its reverse for the page before. */
  descending: boolean;
  after?: SortPosition;
}

export type SortedRow = CustomerRow & { position: SortPosition };

/** The indexed expressions, identical to the migration's (an expression index needs that). */
const SORT_KEYS = {
  name: sql<string>`lower(trim(coalesce(customers.first_name, '') || ' ' || coalesce(customers.last_name, '')))`,
  email: sql<string>`coalesce(customers.email, '')`,
  created: sql<string>`customers.created_at`,
  lastActivity: sql<string>`coalesce(customers.last_activity_at, customers.created_at)`,
} as const;

/** Up to `limit` customers in the walk's order, each with its position for a cursor. */
export async function listSortedRows(
  db: Conn,
  dialect: Dialect,
  accountId: string,
  filter: CustomerFilter,
  walk: SortWalk,
  limit: number,
): Promise<SortedRow[]> {
  if (walk.sort === 'organization')
    return walkOrganizations(db, dialect, accountId, filter, walk, limit);
  const direction = walk.descending ? 'desc' : 'asc';
  const beyond = walk.descending ? sql`<` : sql`>`;
  const after = walk.after;
  if (walk.sort === 'number') {
    let query = applyFilter(
      db.selectFrom('customers').selectAll('customers'),
      dialect,
      accountId,
      filter,
    );
    if (after) query = query.where(sql<SqlBool>`customers.number ${beyond} ${after.n}`);
    const rows = await query.orderBy('customers.number', direction).limit(limit).execute();
    return rows.map((row) => ({ ...row, position: { n: Number(row.number) } }));
  }
  const key = SORT_KEYS[walk.sort];
  let query = applyFilter(
    db.selectFrom('customers').selectAll('customers').select(key.as('sort_key')),
    dialect,
    accountId,
    filter,
  );
  if (after?.k !== undefined) {
    query = query.where(
      // The range on the key alone is what both planners start the index walk at (an OR of the
      // two would be a filter over the walk from the start); the rest only steps past ties.
      sql<SqlBool>`${key} ${walk.descending ? sql`<=` : sql`>=`} ${after.k} and (${key} ${beyond} ${after.k} or customers.number ${beyond} ${after.n})`,
    );
  }
  const rows = await query
    .orderBy(key, direction)
    .orderBy('customers.number', direction)
    .limit(limit)
    .execute();
  return rows.map(({ sort_key, ...row }) => ({
    ...row,
    position: { k: String(sort_key), n: Number(row.number) },
  }));
}

/**
 * Organization order: organizations by name (organizations_name_uq), each one's customers by
 * number (customers_org_number_idx), customers without an organization after them all. One
 * indexed probe per organization until the page is full, so an organization's size never
 * matters; an account with many organizations that hold nobody in the filter costs a probe each.
 */
async function walkOrganizations(
  db: Conn,
  dialect: Dialect,
  accountId: string,
  filter: CustomerFilter,
  walk: SortWalk,
  limit: number,
): Promise<SortedRow[]> {
  const out: SortedRow[] = [];
  const after = walk.after;
  const probe = async (organization: { id: string; name_key: string } | null, from?: number) => {
    const want = limit - out.length;
    if (
      want <= 0 ||
      (filter.organizationId && filter.organizationId !== (organization?.id ?? 'none'))
    )
      return;
    let query = applyFilter(
      db.selectFrom('customers').selectAll('customers'),
      dialect,
      accountId,
      filter,
    );
    query = organization
      ? query.where('customers.organization_id', '=', organization.id)
      : query.where('customers.organization_id', 'is', null);
    if (from !== undefined)
      query = query.where('customers.number', walk.descending ? '<' : '>', from);
    const rows = await query
      .orderBy('customers.number', walk.descending ? 'desc' : 'asc')
      .limit(want)
      .execute();
    for (const row of rows)
      out.push({
        ...row,
        position: {
          n: Number(row.number),
          o: organization?.name_key ?? '',
          g: organization?.id ?? '',
        },
      });
  };
  const inNone = after !== undefined && after.g === '';
  // Descending, customers without an organization come first; ascending, last.
  if (walk.descending) {
    if (!after || inNone) await probe(null, after?.n);
    if (inNone && out.length >= limit) return out;
  } else if (inNone) {
    await probe(null, after.n);
    return out;
  }
  let fromName = after && !inNone ? after.o : undefined;
  if (after && !inNone && after.g) await probe({ id: after.g, name_key: after.o ?? '' }, after.n);
  while (out.length < limit && filter.organizationId !== 'none') {
    let orgs = db
      .selectFrom('organizations')
      .select(['id', 'name_key'])
      .where('account_id', '=', accountId);
    if (filter.organizationId && filter.organizationId !== 'none')
      orgs = orgs.where('id', '=', filter.organizationId);
    if (fromName !== undefined)
      orgs = orgs.where('name_key', walk.descending ? '<' : '>', fromName);
    const batch = await orgs
      .orderBy('name_key', walk.descending ? 'desc' : 'asc')
      .limit(ORGANIZATION_BATCH)
      .execute();
    for (const organization of batch) await probe(organization);
    const last = batch[batch.length - 1];
    if (!last || batch.length < ORGANIZATION_BATCH) break;
    fromName = last.name_key;
  }
  if (!walk.descending) await probe(null);
  return out;
}

const ORGANIZATION_BATCH = 50;
