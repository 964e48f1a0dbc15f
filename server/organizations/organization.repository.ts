// SQL for organizations, their domains, and the organization column of customers.
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Organization } from '../../common/organization.ts';
import type { CustomFieldValues } from '../../common/custom-field.ts';
import type { Database, OrganizationRow } from '../db/database.ts';
import { ALL, customerScope, organizationScope, type Scope } from '../access/scope.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export function organizationRowToOrganization(
  row: OrganizationRow,
  domains: string[],
  customerCount: number,
): Organization {
  return {
    id: row.id,
    name: row.name,
    domains,
    notes: row.notes,
    customFields: JSON.parse(row.custom_fields) as CustomFieldValues,
    autoCreated: Boolean(row.auto_created),
    customerCount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    mergedInto: row.merged_into_id ?? null,
  };
}

export async function insertOrganization(db: Conn, row: OrganizationRow): Promise<void> {
  await db.insertInto('organizations').values(row).execute();
}

/** Inserts unless the name is taken; true when this call created it. */
export async function insertOrganizationIfAbsent(db: Conn, row: OrganizationRow): Promise<boolean> {
  const result = await db
    .insertInto('organizations')
    .values(row)
    .onConflict((oc) => oc.columns(['account_id', 'name_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * One organization by id; with a scope, one out of it is not found (like a missing one). One
 * merged into another (issue 15) is not found either: it is only a pointer to its survivor, so
 * nothing is added to it, nothing joins it and it is never edited (findOrganizationRecord reads
 * the pointer itself).
 */
export async function findOrganization(
  db: Conn,
  accountId: string,
  id: string,
  scope: Scope = ALL,
) {
  const inScope = organizationScope(scope);
  return db
    .selectFrom('organizations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('merged_into_id', 'is', null)
    .$if(inScope !== undefined, (q) => q.where(inScope!))
    .executeTakeFirst();
}

/** One organization by id, a merged-away pointer included (GET shows it with mergedInto). */
export async function findOrganizationRecord(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('organizations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * One organization row, a pointer included, held against an organization merge until the
 * transaction ends: SELECT … FOR SHARE on PostgreSQL (the merge's lock is an UPDATE of the row,
 * so the two wait for each other while writers that only refer to it do not); on SQLite a no-op
 * write, its write lock, as the merge takes.
 */
export async function lockOrganizationRow(db: Conn, accountId: string, id: string) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (!postgres)
    await db
      .updateTable('organizations')
      .set({ updated_at: sql<string>`updated_at` })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute();
  return db
    .selectFrom('organizations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .$if(postgres, (q) => q.forShare())
    .executeTakeFirst();
}

export async function findOrganizationByName(db: Conn, accountId: string, name: string) {
  return db
    .selectFrom('organizations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_key', '=', name.trim().toLowerCase())
    .where('merged_into_id', 'is', null)
    .executeTakeFirst();
}

function filteredOrganizations(db: Conn, accountId: string, q: string | undefined, scope: Scope) {
  let query = db
    .selectFrom('organizations')
    .where('account_id', '=', accountId)
    // A merged-away organization is a pointer to its survivor, never listed or counted.
    .where('merged_into_id', 'is', null);
  // The scope, for the list, its search and its count alike.
  const inScope = organizationScope(scope);
  if (inScope) query = query.where(inScope);
  if (q) {
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('name_key', 'like', sql<string>`${like} escape '\\'`),
        eb.exists(
          eb
            .selectFrom('organization_domains as d')
            .select('d.domain')
            .whereRef('d.account_id', '=', 'organizations.account_id')
            .whereRef('d.organization_id', '=', 'organizations.id')
            .where('d.domain', 'like', sql<string>`${like} escape '\\'`),
        ),
      ]),
    );
  }
  return query;
}

export async function listOrganizationRows(
  db: Conn,
  accountId: string,
  options: { q?: string; after?: { name: string; id: string }; limit: number; scope: Scope },
) {
  let query = filteredOrganizations(db, accountId, options.q, options.scope).selectAll();
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('name_key', '>', after.name),
        eb.and([eb('name_key', '=', after.name), eb('id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('name_key').orderBy('id').limit(options.limit).execute();
}

export async function countOrganizations(
  db: Conn,
  accountId: string,
  q: string | undefined,
  scope: Scope,
): Promise<number> {
  const row = await filteredOrganizations(db, accountId, q, scope)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function updateOrganizationRow(
  db: Conn,
  accountId: string,
  id: string,
  set: Partial<
    Pick<OrganizationRow, 'name' | 'name_key' | 'notes' | 'custom_fields' | 'updated_at'>
  >,
): Promise<void> {
  await db
    .updateTable('organizations')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

export async function deleteOrganizationRow(
  db: Conn,
  accountId: string,
  id: string,
): Promise<void> {
  await db
    .deleteFrom('organization_domains')
    .where('account_id', '=', accountId)
    .where('organization_id', '=', id)
    .execute();
  await db
    .deleteFrom('organizations')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

export async function domainsOf(db: Conn, accountId: string, organizationIds: string[]) {
  if (organizationIds.length === 0) return new Map<string, string[]>();
  const rows = await db
    .selectFrom('organization_domains')
    .select(['organization_id', 'domain'])
    .where('account_id', '=', accountId)
    .where('organization_id', 'in', organizationIds)
    .orderBy('domain')
    .execute();
  const map = new Map<string, string[]>();
  for (const row of rows)
    map.set(row.organization_id, [...(map.get(row.organization_id) ?? []), row.domain]);
  return map;
}

/**
 * Customers per organization. With a limited scope, an organization served whole shows all its
 * customers (the agent sees them all); one seen only through tickets or a location counts only
 * the customers the agent can see, so the number never tells of customers kept from them.
 */
export async function customerCounts(
  db: Conn,
  accountId: string,
  organizationIds: string[],
  scope: Scope = ALL,
) {
  const counts = new Map<string, number>();
  const whole = scope.all
    ? organizationIds
    : organizationIds.filter((id) => scope.organizationIds.includes(id));
  const partial = organizationIds.filter((id) => !whole.includes(id));
  for (const [ids, inScope] of [
    [whole, undefined],
    [partial, customerScope(scope)],
  ] as const) {
    if (ids.length === 0) continue;
    const rows = await db
      .selectFrom('customers')
      .select(['organization_id', (eb) => eb.fn.countAll<number>().as('count')])
      .where('account_id', '=', accountId)
      .where('organization_id', 'in', ids)
      .$if(inScope !== undefined, (q) => q.where(inScope!))
      .groupBy('organization_id')
      .execute();
    for (const r of rows) counts.set(r.organization_id ?? '', Number(r.count));
  }
  return counts;
}

/** Owners of any of the given domains, by domain. */
export async function domainOwners(db: Conn, accountId: string, domains: string[]) {
  if (domains.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('organization_domains')
    .select(['domain', 'organization_id'])
    .where('account_id', '=', accountId)
    .where('domain', 'in', domains)
    .execute();
  return new Map(rows.map((r) => [r.domain, r.organization_id]));
}

/** Inserts a domain unless some organization owns it already; returns the owner either way. */
export async function claimDomain(
  db: Conn,
  accountId: string,
  domain: string,
  organizationId: string,
  at: string,
): Promise<string> {
  await db
    .insertInto('organization_domains')
    .values({ account_id: accountId, domain, organization_id: organizationId, created_at: at })
    .onConflict((oc) => oc.columns(['account_id', 'domain']).doNothing())
    .execute();
  const owner = await db
    .selectFrom('organization_domains')
    .select('organization_id')
    .where('account_id', '=', accountId)
    .where('domain', '=', domain)
    .executeTakeFirstOrThrow();
  return owner.organization_id;
}

export async function deleteDomain(
  db: Conn,
  accountId: string,
  organizationId: string,
  domain: string,
) {
  const result = await db
    .deleteFrom('organization_domains')
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .where('domain', '=', domain)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Email domains (with customer counts) of customers at the domain or its subdomains. */
export async function customerDomainsUnder(db: Conn, accountId: string, domain: string) {
  return db
    .selectFrom('customers')
    .select(['email_domain', (eb) => eb.fn.countAll<number>().as('count')])
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        eb('email_domain', '=', domain),
        eb('email_domain', 'like', sql<string>`${`%.${domain}`}`),
      ]),
    )
    .groupBy('email_domain')
    .execute();
}

export async function customerIdsWithDomains(
  db: Conn,
  accountId: string,
  domains: string[],
  notInOrganization: string,
): Promise<{ id: string; organization_id: string | null; version: number }[]> {
  if (domains.length === 0) return [];
  return db
    .selectFrom('customers')
    .select(['id', 'organization_id', 'version'])
    .where('account_id', '=', accountId)
    .where('email_domain', 'in', domains)
    .where((eb) =>
      eb.or([eb('organization_id', 'is', null), eb('organization_id', '!=', notInOrganization)]),
    )
    .execute();
}

export async function customerIdsInOrganization(
  db: Conn,
  accountId: string,
  organizationId: string,
) {
  const rows = await db
    .selectFrom('customers')
    .select('id')
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .execute();
  return rows.map((r) => r.id);
}

export async function organizationNames(db: Conn, accountId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
