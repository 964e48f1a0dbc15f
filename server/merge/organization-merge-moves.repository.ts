// SQL that moves what belongs to a duplicate organization to its survivor, and back on undo
// (issue 15). Set-based: one statement per table, or per chunk of ids for the tables that can be
// large (customers on undo, their audit entries, tickets), never one per row. The merge's
// customers go through the write model (organization-merge.service.ts); the undo puts them back
// here. What it moves is what the journal (OrganizationMergeJournal) lists, so an undo puts
// back exactly those rows.
import { PostgresAdapter, sql } from 'kysely';
import type { CustomerAuditTable } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';
import type { GrantRow } from './organization-merge.repository.ts';
import { chunks } from '../db/chunks.ts';

/** A row renamed on the way in because the survivor had one of that name; null otherwise. */
export interface Renamed {
  name: string;
  name_key: string;
}

/** What the merge did, as the journal keeps it (JSON in organization_merges.journal). */
export interface OrganizationMergeJournal {
  v: 1;
  /** Both rows as they were (the values an undo writes back). */
  survivor: { name: string; name_key: string; notes: string | null; custom_fields: string };
  survivorUpdatedAt: string;
  duplicate: { name: string; name_key: string };
  /** The survivor's updated_at the merge wrote: a different one later means it was edited. */
  survivorAfterUpdatedAt: string;
  /** The name key the duplicate's pointer holds, freeing its name. */
  pointerNameKey: string;
  domains: string[];
  /** The customers moved, with the version and updated_at they had before. */
  customers: { id: string; version: number; updatedAt: string }[];
  ticketIds: string[];
  locations: { id: string; name: string; name_key: string; renamed: Renamed | null }[];
  areaIds: string[];
  contractIds: string[];
  rules: { id: string; position: number; newPosition: number }[];
  groups: { id: string; name: string; name_key: string; renamed: Renamed | null }[];
  teamAccessIds: string[];
  /** Grants of the duplicate moved to the survivor, and ones dropped (the survivor had it). */
  grantsMoved: GrantRow[];
  grantsDropped: GrantRow[];
}

const CHUNK = 400;
const inChunks = <T>(items: T[]) => chunks(items, CHUNK);

type Scoped = 'organization_locations' | 'organization_areas' | 'contracts' | 'team_access';

async function setOrganization(
  db: Conn,
  accountId: string,
  table: Scoped | 'tickets' | 'routing_rules' | 'notification_groups',
  rowIds: string[],
  from: string,
  to: string,
): Promise<number> {
  let changed = 0;
  for (const part of inChunks(rowIds)) {
    const result = await db
      .updateTable(table as 'tickets')
      .set({ organization_id: to })
      .where('account_id', '=', accountId)
      .where('organization_id', '=', from)
      .where('id', 'in', part)
      .executeTakeFirst();
    changed += Number(result.numUpdatedRows);
  }
  return changed;
}

async function rename(
  db: Conn,
  accountId: string,
  table: 'organization_locations' | 'notification_groups',
  id: string,
  to: Renamed,
) {
  await db
    .updateTable(table)
    .set({ name: to.name, name_key: to.name_key })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

/** Moves every row the journal lists from `from` to `to` (the merge, or with the two swapped, undo). */
async function moveListed(
  db: Conn,
  accountId: string,
  j: OrganizationMergeJournal,
  from: string,
  to: string,
) {
  for (const part of inChunks(j.domains))
    await db
      .updateTable('organization_domains')
      .set({ organization_id: to })
      .where('account_id', '=', accountId)
      .where('organization_id', '=', from)
      .where('domain', 'in', part)
      .execute();
  await setOrganization(db, accountId, 'tickets', j.ticketIds, from, to);
  await setOrganization(db, accountId, 'organization_locations', ids(j.locations), from, to);
  await setOrganization(db, accountId, 'organization_areas', j.areaIds, from, to);
  await setOrganization(db, accountId, 'contracts', j.contractIds, from, to);
  await setOrganization(db, accountId, 'notification_groups', ids(j.groups), from, to);
  await setOrganization(db, accountId, 'team_access', j.teamAccessIds, from, to);
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

/**
 * The merge's moves of everything but its customers, in the merge's transaction, after the pair
 * was locked. The customers move through the write model (customer.repository.ts
 * writeCustomers), as any other change of their organization does.
 */
export async function moveToSurvivor(
  db: Conn,
  accountId: string,
  j: OrganizationMergeJournal,
  duplicateId: string,
  survivorId: string,
): Promise<void> {
  // Renamed before the move, so the survivor never holds two rows of one name key.
  for (const l of j.locations)
    if (l.renamed) await rename(db, accountId, 'organization_locations', l.id, l.renamed);
  for (const g of j.groups)
    if (g.renamed) await rename(db, accountId, 'notification_groups', g.id, g.renamed);
  await moveListed(db, accountId, j, duplicateId, survivorId);
  for (const rule of j.rules)
    await db
      .updateTable('routing_rules')
      .set({ organization_id: survivorId, position: rule.newPosition })
      .where('account_id', '=', accountId)
      .where('id', '=', rule.id)
      .execute();
  // Hub grants: the union. A customer granted both keeps the survivor's grant.
  for (const part of inChunks(j.grantsDropped))
    await db
      .deleteFrom('hub_organization_grants')
      .where('account_id', '=', accountId)
      .where('organization_id', '=', duplicateId)
      .where(
        'customer_id',
        'in',
        part.map((g) => g.customer_id),
      )
      .execute();
  for (const part of inChunks(j.grantsMoved))
    await db
      .updateTable('hub_organization_grants')
      .set({ organization_id: survivorId })
      .where('account_id', '=', accountId)
      .where('organization_id', '=', duplicateId)
      .where(
        'customer_id',
        'in',
        part.map((g) => g.customer_id),
      )
      .execute();
}

async function countAt(
  db: Conn,
  accountId: string,
  table: Scoped | 'tickets' | 'routing_rules' | 'notification_groups' | 'customers',
  rowIds: string[],
  organizationId: string,
): Promise<number> {
  let count = 0;
  for (const part of inChunks(rowIds)) {
    const row = await db
      .selectFrom(table as 'tickets')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .where('organization_id', '=', organizationId)
      .where('id', 'in', part)
      .executeTakeFirstOrThrow();
    count += Number(row.count);
  }
  return count;
}

async function countExisting(db: Conn, accountId: string, customerIds: string[]) {
  let count = 0;
  for (const part of inChunks(customerIds)) {
    const row = await db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .where('id', 'in', part)
      .where('status', '!=', 'erasing')
      .executeTakeFirstOrThrow();
    count += Number(row.count);
  }
  return count;
}

/** What has changed since the merge among the rows it moved, by kind (empty: undo is safe). */
export interface UndoObstacles {
  erasedCustomers: number;
  /** Kind → how many of its moved rows are no longer at the survivor (moved, removed). */
  moved: Record<string, number>;
}

export async function undoObstacles(
  db: Conn,
  accountId: string,
  j: OrganizationMergeJournal,
  survivorId: string,
): Promise<UndoObstacles> {
  const customerIds = ids(j.customers);
  const existing = await countExisting(db, accountId, customerIds);
  const moved: Record<string, number> = {};
  const check = async (kind: string, expected: number, found: Promise<number>) => {
    const missing = expected - (await found);
    if (missing > 0) moved[kind] = missing;
  };
  await check('customers', existing, countAt(db, accountId, 'customers', customerIds, survivorId));
  const domainRows = j.domains.length
    ? await db
        .selectFrom('organization_domains')
        .select('domain')
        .where('account_id', '=', accountId)
        .where('organization_id', '=', survivorId)
        .where('domain', 'in', j.domains)
        .execute()
    : [];
  await check('domains', j.domains.length, Promise.resolve(domainRows.length));
  await check(
    'tickets',
    j.ticketIds.length,
    countAt(db, accountId, 'tickets', j.ticketIds, survivorId),
  );
  const tables = [
    ['locations', 'organization_locations', ids(j.locations)],
    ['areas', 'organization_areas', j.areaIds],
    ['contracts', 'contracts', j.contractIds],
    ['routingRules', 'routing_rules', ids(j.rules)],
    ['notificationGroups', 'notification_groups', ids(j.groups)],
    ['teamAccess', 'team_access', j.teamAccessIds],
  ] as const;
  for (const [kind, table, rowIds] of tables)
    await check(kind, rowIds.length, countAt(db, accountId, table, rowIds, survivorId));
  const grants = j.grantsMoved.length
    ? await db
        .selectFrom('hub_organization_grants')
        .select('customer_id')
        .where('account_id', '=', accountId)
        .where('organization_id', '=', survivorId)
        .where(
          'customer_id',
          'in',
          j.grantsMoved.map((g) => g.customer_id),
        )
        .execute()
    : [];
  await check('hubGrants', j.grantsMoved.length, Promise.resolve(grants.length));
  return { erasedCustomers: customerIds.length - existing, moved };
}

/**
 * The undo's moves, after undoObstacles found none: every listed row back to the duplicate, the
 * renamed ones their old names, customers their organization (and, when nothing else changed
 * them since, the version and updated_at they had), with one audit entry each.
 */
export async function moveBack(
  db: Conn,
  accountId: string,
  j: OrganizationMergeJournal,
  survivorId: string,
  duplicateId: string,
  audit: CustomerAuditTable[],
  now: string,
): Promise<void> {
  await moveListed(db, accountId, j, survivorId, duplicateId);
  for (const l of j.locations)
    if (l.renamed) await rename(db, accountId, 'organization_locations', l.id, l);
  for (const g of j.groups)
    if (g.renamed) await rename(db, accountId, 'notification_groups', g.id, g);
  for (const rule of j.rules)
    await db
      .updateTable('routing_rules')
      .set({ organization_id: duplicateId, position: rule.position })
      .where('account_id', '=', accountId)
      .where('id', '=', rule.id)
      .execute();
  for (const part of inChunks(j.customers)) {
    const partIds = ids(part);
    const when = (value: (c: (typeof part)[number]) => unknown) =>
      sql.join(
        part.map((c) => sql`when ${c.id} then ${value(c)}`),
        sql` `,
      );
    // Untouched since the merge (its version is the merge's): back exactly as it was. The
    // parameters are cast: PostgreSQL types a CASE of bare parameters as text.
    const stamp = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
    const at = (v: string) => sql`cast(${v} as ${sql.raw(stamp)})`;
    const int = (v: number) => sql`cast(${v} as integer)`;
    await db
      .updateTable('customers')
      .set({
        organization_id: duplicateId,
        updated_at: sql<string>`case id ${when((c) => at(c.updatedAt))} end`,
        version: sql<number>`case id ${when((c) => int(c.version))} end`,
      })
      .where('account_id', '=', accountId)
      .where('organization_id', '=', survivorId)
      .where('id', 'in', partIds)
      .where(sql<boolean>`version = case id ${when((c) => int(c.version + 1))} end`)
      .execute();
    // Changed since in some other way: back to the duplicate as a new change.
    await db
      .updateTable('customers')
      .set({ organization_id: duplicateId, updated_at: now, version: sql<number>`version + 1` })
      .where('account_id', '=', accountId)
      .where('organization_id', '=', survivorId)
      .where('id', 'in', partIds)
      .execute();
  }
  for (const part of inChunks(audit)) await db.insertInto('customer_audit').values(part).execute();
  for (const part of inChunks(j.grantsMoved))
    await db
      .updateTable('hub_organization_grants')
      .set({ organization_id: duplicateId })
      .where('account_id', '=', accountId)
      .where('organization_id', '=', survivorId)
      .where(
        'customer_id',
        'in',
        part.map((g) => g.customer_id),
      )
      .execute();
  for (const part of inChunks(j.grantsDropped))
    await db
      .insertInto('hub_organization_grants')
      .values(part.map((g) => ({ account_id: accountId, organization_id: duplicateId, ...g })))
      .execute();
}
