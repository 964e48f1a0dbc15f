// The raw side of the scope suite: the SQL a scoped agent's customer list and search run, built
// the way CustomerService.list and customer.repository.ts build it (the same filter, keyset,
// order and capped count, the SQLite full-text step first, the organization names of the page)
// with the scope's one condition, customerScope() from server/access/scope.ts, added. Run through
// capture.ts's recordQueries on the bench data, so each query carries its real parameters.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { CustomerListQuery } from '../common/customer.ts';
import { customerScope, type Scope } from '../server/access/scope.ts';
import { ALL } from '../server/access/scope.ts';
import type { Dialect } from '../server/db/connect.ts';
import type { Database } from '../server/db/database.ts';
import { COUNT_CAP } from '../server/customers/customer.service.ts';
import {
  FTS_DIRECT_LIMIT,
  ftsCandidates,
  statusTotal,
  type CustomerFilter,
} from '../server/customers/customer.repository.ts';
import { foldQuery } from '../server/customers/identity.ts';
import { organizationNames } from '../server/organizations/organization.repository.ts';
import { decodeCursor } from '../server/paging.ts';

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** customer.repository.ts's applyFilter, and the scope's condition. */
function filtered<O>(
  query: SelectQueryBuilder<Database, 'customers', O>,
  dialect: Dialect,
  accountId: string,
  scope: Scope,
  filter: CustomerFilter,
): SelectQueryBuilder<Database, 'customers', O> {
  let q = query.where('customers.account_id', '=', accountId);
  const inScope = customerScope(scope);
  if (inScope) q = q.where(inScope);
  if (filter.status !== 'all') q = q.where('customers.status', '=', filter.status);
  else q = q.where('customers.status', '!=', 'erasing');
  if (filter.organizationId === 'none') q = q.where('customers.organization_id', 'is', null);
  else if (filter.organizationId)
    q = q.where('customers.organization_id', '=', filter.organizationId);
  if (filter.typeId) q = q.where('customers.type_id', '=', filter.typeId);
  const search = filter.search;
  if (filter.rowids) {
    q = q.where(
      sql<boolean>`customers.rowid in (${sql.join(filter.rowids.length ? filter.rowids : [-1])})`,
    );
  } else if (search) {
    if (dialect === 'sqlite' && [...search].length >= 3) {
      const phrase = `"${search.replace(/"/g, '""')}"`;
      q = q.where(
        sql<boolean>`customers.rowid in (select rowid from customers_fts where customers_fts match ${phrase})`,
      );
    } else {
      q = q.where(
        sql<boolean>`customers.search_text like ${`%${escapeLike(search)}%`} escape '\\'`,
      );
    }
  }
  return q;
}

/** countCustomers: the matches, stopping at `cap` + 1 (no cap: an exact count, for the note). */
export async function countScoped(
  db: Kysely<Database>,
  dialect: Dialect,
  accountId: string,
  scope: Scope,
  filter: CustomerFilter,
  cap?: number,
): Promise<number> {
  const matches = filtered(
    db.selectFrom('customers').select(sql<number>`1`.as('one')),
    dialect,
    accountId,
    scope,
    filter,
  );
  const row = await db
    .selectFrom((cap === undefined ? matches : matches.limit(cap + 1)).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * What CustomerService.list reads for `query` under `scope`. A whole-account plain list takes
 * its total from the kept counters, as the service does; a limited scope has no counter of its
 * own, so its total is the capped count like any filter's.
 */
export async function listScoped(
  db: Kysely<Database>,
  dialect: Dialect,
  accountId: string,
  scope: Scope,
  query: CustomerListQuery,
  /** SQLite: the full-text matches, when known (a capturing Kysely answers no rows). */
  knownCandidates?: number[],
): Promise<void> {
  const before = query.cursor
    ? decodeCursor(query.cursor, (v): v is { n: number } => typeof v.n === 'number').n
    : undefined;
  const search = query.q ? foldQuery(query.q) || undefined : undefined;
  const filter: CustomerFilter = {
    status: query.status,
    search,
    organizationId: query.organizationId,
    typeId: query.typeId,
    // The scope is added below, as the raw side's own step (scope.ts's condition).
    scope: ALL,
  };
  if (search && dialect === 'sqlite') {
    // Sent either way, so a captured sequence holds the full-text step the service runs first.
    const found = await ftsCandidates(db, search);
    const candidates = knownCandidates ?? found;
    if (candidates && candidates.length <= FTS_DIRECT_LIMIT) filter.rowids = candidates;
  }
  let page = filtered(
    db.selectFrom('customers').selectAll('customers'),
    dialect,
    accountId,
    scope,
    filter,
  );
  if (before !== undefined) page = page.where('customers.number', '<', before);
  const plain = !filter.search && !filter.organizationId && !filter.typeId;
  const status = filter.status;
  const total = (): Promise<unknown> => {
    if (!plain || !scope.all) return countScoped(db, dialect, accountId, scope, filter, COUNT_CAP);
    if (status !== 'all') return statusTotal(db, accountId, status);
    return Promise.all([
      statusTotal(db, accountId, 'active'),
      statusTotal(db, accountId, 'deactivated'),
    ]);
  };
  const [rows] = await Promise.all([
    page
      .orderBy('customers.number', 'desc')
      .limit(query.limit + 1)
      .execute(),
    total(),
  ]);
  const ids = [
    ...new Set(
      rows
        .slice(0, query.limit)
        .map((r) => r.organization_id)
        .filter((id): id is string => id !== null),
    ),
  ];
  await organizationNames(db, accountId, ids);
}
