// SQL for merging two organizations (issue 15): reading what belongs to the duplicate, the
// journal (organization_merges), and locking the pair. The moves themselves, and putting them
// back, are in organization-merge-moves.repository.ts. Every statement is scoped by account.
import { sql } from 'kysely';
import type { CustomerRow, MergeTable } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';

/** A grant of the duplicate's tickets in the Customer Hub, as it was. */
export interface GrantRow {
  customer_id: string;
  created_at: string;
  created_by: string | null;
}

/** Everything of the duplicate a merge moves, read once for the preview and the merge alike. */
export interface DuplicateHoldings {
  domains: string[];
  /** Its customers (contacts), but not ones merged into another customer: those never change. */
  customers: CustomerRow[];
  ticketIds: string[];
  locations: { id: string; name: string; name_key: string }[];
  areaIds: string[];
  contractIds: string[];
  timeEntries: number;
  rules: { id: string; position: number }[];
  groups: { id: string; name: string; name_key: string }[];
  teamAccessIds: string[];
  grants: GrantRow[];
}

/** What the survivor already has that the duplicate's rows must not collide with. */
export interface SurvivorKeys {
  locationKeys: Set<string>;
  groupKeys: Set<string>;
  maxRulePosition: number;
  grantedCustomers: Set<string>;
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

export async function readHoldings(
  db: Conn,
  accountId: string,
  organizationId: string,
): Promise<DuplicateHoldings> {
  const byOrg = <T extends 'tickets' | 'organization_areas' | 'contracts' | 'team_access'>(
    table: T,
  ) =>
    db
      .selectFrom(table as 'tickets')
      .select('id')
      .where('account_id', '=', accountId)
      .where('organization_id', '=', organizationId)
      .orderBy('id')
      .execute();
  const [domains, customers, tickets, locations, areas, contracts, rules, groups, access, grants] =
    await Promise.all([
      db
        .selectFrom('organization_domains')
        .select('domain')
        .where('account_id', '=', accountId)
        .where('organization_id', '=', organizationId)
        .orderBy('domain')
        .execute(),
      db
        .selectFrom('customers')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('organization_id', '=', organizationId)
        .where('status', '!=', 'merged')
        .orderBy('id')
        .execute(),
      byOrg('tickets'),
      db
        .selectFrom('organization_locations')
        .select(['id', 'name', 'name_key'])
        .where('account_id', '=', accountId)
        .where('organization_id', '=', organizationId)
        .orderBy('id')
        .execute(),
      byOrg('organization_areas'),
      byOrg('contracts'),
      db
        .selectFrom('routing_rules')
        .select(['id', 'position'])
        .where('account_id', '=', accountId)
        .where('organization_id', '=', organizationId)
        .orderBy('position')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('notification_groups')
        .select(['id', 'name', 'name_key'])
        .where('account_id', '=', accountId)
        .where('organization_id', '=', organizationId)
        .orderBy('id')
        .execute(),
      byOrg('team_access'),
      db
        .selectFrom('hub_organization_grants')
        .select(['customer_id', 'created_at', 'created_by'])
        .where('account_id', '=', accountId)
        .where('organization_id', '=', organizationId)
        .orderBy('customer_id')
        .execute(),
    ]);
  const contractIds = ids(contracts);
  // Time logged on its tickets goes with them (and with its contracts, which move too).
  const ticketIds = ids(tickets);
  let timeEntries = 0;
  for (let i = 0; i < ticketIds.length; i += 400) {
    const row = await db
      .selectFrom('time_entries')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .where('ticket_id', 'in', ticketIds.slice(i, i + 400))
      .executeTakeFirstOrThrow();
    timeEntries += Number(row.count);
  }
  return {
    domains: domains.map((d) => d.domain),
    customers,
    ticketIds,
    locations,
    areaIds: ids(areas),
    contractIds,
    timeEntries,
    rules: rules.map((r) => ({ id: r.id, position: Number(r.position) })),
    groups,
    teamAccessIds: ids(access),
    grants,
  };
}

export async function readSurvivorKeys(
  db: Conn,
  accountId: string,
  organizationId: string,
): Promise<SurvivorKeys> {
  const [locations, groups, rule, grants] = await Promise.all([
    db
      .selectFrom('organization_locations')
      .select('name_key')
      .where('account_id', '=', accountId)
      .where('organization_id', '=', organizationId)
      .execute(),
    db
      .selectFrom('notification_groups')
      .select('name_key')
      .where('account_id', '=', accountId)
      .where('organization_id', '=', organizationId)
      .execute(),
    db
      .selectFrom('routing_rules')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('account_id', '=', accountId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst(),
    db
      .selectFrom('hub_organization_grants')
      .select('customer_id')
      .where('account_id', '=', accountId)
      .where('organization_id', '=', organizationId)
      .execute(),
  ]);
  return {
    locationKeys: new Set(locations.map((l) => l.name_key)),
    groupKeys: new Set(groups.map((g) => g.name_key)),
    maxRulePosition: rule?.max === null || rule?.max === undefined ? -1 : Number(rule.max),
    grantedCustomers: new Set(grants.map((g) => g.customer_id)),
  };
}

/**
 * Takes the pair's row locks before anything is read for the merge (a no-op update: a row lock on
 * PostgreSQL, the write lock on SQLite), so two merges or a merge and an edit of either one run
 * one after the other. False when either is gone or merged away already.
 */
export async function lockLivePair(
  db: Conn,
  accountId: string,
  a: string,
  b: string,
): Promise<boolean> {
  const result = await db
    .updateTable('organizations')
    .set({ updated_at: sql<string>`updated_at` })
    .where('account_id', '=', accountId)
    .where('id', 'in', [a, b])
    .where('merged_into_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 2;
}

/** The survivor's row lock for an undo; false when it was merged into another since. */
export async function lockOne(db: Conn, accountId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('organizations')
    .set({ updated_at: sql<string>`updated_at` })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('merged_into_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Makes the duplicate a pointer to its survivor, its name key freed (a key nobody can type). */
export async function setPointer(
  db: Conn,
  accountId: string,
  id: string,
  survivorId: string,
  pointerNameKey: string,
): Promise<void> {
  await db
    .updateTable('organizations')
    .set({ merged_into_id: survivorId, name_key: pointerNameKey })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

/** Undo: the pointer is an organization again, with its own name key. */
export async function clearPointer(
  db: Conn,
  accountId: string,
  id: string,
  nameKey: string,
): Promise<void> {
  await db
    .updateTable('organizations')
    .set({ merged_into_id: null, name_key: nameKey })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

/** Customers by id, in chunks (a merge can move thousands). */
export async function customersByIds(
  db: Conn,
  accountId: string,
  customerIds: string[],
): Promise<CustomerRow[]> {
  const rows: CustomerRow[] = [];
  for (let i = 0; i < customerIds.length; i += 400)
    rows.push(
      ...(await db
        .selectFrom('customers')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', 'in', customerIds.slice(i, i + 400))
        .execute()),
    );
  return rows;
}

export async function insertMerge(db: Conn, row: MergeTable): Promise<void> {
  await db.insertInto('organization_merges').values(row).execute();
}

export async function findMerge(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('organization_merges')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The merges an organization took part in, as survivor or duplicate, newest first. */
export async function listMergesOf(db: Conn, accountId: string, organizationId: string) {
  return db
    .selectFrom('organization_merges')
    .selectAll()
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([eb('survivor_id', '=', organizationId), eb('merged_id', '=', organizationId)]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
}

export async function markMergeUndone(
  db: Conn,
  accountId: string,
  id: string,
  at: string,
  by: string,
): Promise<boolean> {
  const result = await db
    .updateTable('organization_merges')
    .set({ undone_at: at, undone_by_name: by })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** An organization (live) holding this name key, other than the one given. */
export async function nameKeyHolder(db: Conn, accountId: string, nameKey: string) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('account_id', '=', accountId)
    .where('name_key', '=', nameKey)
    .executeTakeFirst();
}
