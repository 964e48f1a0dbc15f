// The raw side of the scope suite: the SQL a scoped agent's customer list and search run, the way
// CustomerService.list runs it (the SQLite full-text step first, the repository's page and capped
// count with the filter's scope, the organization names of the page), from the repository's own
// functions so the raw side cannot drift from what the server sends. Run through
// capture.ts's recordQueries on the bench data, so each query carries its real parameters.
import type { Kysely } from 'kysely';
import type { CustomerListQuery } from '../common/customer.ts';
import type { Scope } from '../server/access/scope.ts';
import type { Dialect } from '../server/db/connect.ts';
import type { Database } from '../server/db/database.ts';
import { COUNT_CAP } from '../server/customers/customer.service.ts';
import {
  countCustomers,
  FTS_DIRECT_LIMIT,
  ftsCandidates,
  listCustomerRows,
  statusTotal,
  type CustomerFilter,
} from '../server/customers/customer.repository.ts';
import { foldQuery } from '../server/customers/identity.ts';
import { organizationNames } from '../server/organizations/organization.repository.ts';
import { decodeCursor } from '../server/paging.ts';

/** countCustomers under the scope, stopping at `cap` + 1 (no cap: an exact count, for the note). */
export async function countScoped(
  db: Kysely<Database>,
  dialect: Dialect,
  accountId: string,
  scope: Scope,
  filter: Omit<CustomerFilter, 'scope'>,
  cap?: number,
): Promise<number> {
  return countCustomers(db, dialect, accountId, { ...filter, scope }, cap ?? 1_000_000_000);
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
    scope,
    status: query.status,
    search,
    organizationId: query.organizationId,
    typeId: query.typeId,
  };
  if (search && dialect === 'sqlite') {
    // Sent either way, so a captured sequence holds the full-text step the service runs first.
    const found = await ftsCandidates(db, search);
    const candidates = knownCandidates ?? found;
    if (candidates && candidates.length <= FTS_DIRECT_LIMIT) filter.rowids = candidates;
  }
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
    listCustomerRows(db, dialect, accountId, { ...filter, beforeNumber: before }, query.limit + 1),
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
