// SQL for an organization's locations and their areas. Every query is scoped by account and,
// where it reads one organization's rows, by that organization too.
import type { Kysely, Transaction } from 'kysely';
import type { Area, Location } from '../../common/location.ts';
import type { AreaRow, Database, LocationRow } from '../db/database.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export function areaRowToArea(row: AreaRow): Area {
  return {
    id: row.id,
    locationId: row.location_id,
    name: row.name,
    description: row.description,
    active: Boolean(Number(row.active)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function locationRowToLocation(row: LocationRow, areas: AreaRow[]): Location {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    postalCode: row.postal_code,
    city: row.city,
    country: row.country,
    phone: row.phone,
    notes: row.notes,
    active: Boolean(Number(row.active)),
    areas: areas.map(areaRowToArea),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertLocation(db: Conn, row: LocationRow): Promise<void> {
  await db.insertInto('organization_locations').values(row).execute();
}

export async function updateLocationRow(
  db: Conn,
  accountId: string,
  id: string,
  set: Partial<LocationRow>,
): Promise<void> {
  await db
    .updateTable('organization_locations')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

/** A location of the organization; undefined for another organization's or account's. */
export async function findLocation(
  db: Conn,
  accountId: string,
  organizationId: string,
  id: string,
): Promise<LocationRow | undefined> {
  return db
    .selectFrom('organization_locations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listLocationRows(
  db: Conn,
  accountId: string,
  organizationId: string,
  activeOnly: boolean,
): Promise<LocationRow[]> {
  let q = db
    .selectFrom('organization_locations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId);
  if (activeOnly) q = q.where('active', '=', 1);
  return q.orderBy('name_key').orderBy('id').execute();
}

export async function areasOfLocations(
  db: Conn,
  accountId: string,
  locationIds: string[],
  activeOnly: boolean,
): Promise<AreaRow[]> {
  if (locationIds.length === 0) return [];
  let q = db
    .selectFrom('organization_areas')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('location_id', 'in', locationIds);
  if (activeOnly) q = q.where('active', '=', 1);
  return q.orderBy('name_key').orderBy('id').execute();
}

export async function insertArea(db: Conn, row: AreaRow): Promise<void> {
  await db.insertInto('organization_areas').values(row).execute();
}

export async function updateAreaRow(
  db: Conn,
  accountId: string,
  id: string,
  set: Partial<AreaRow>,
): Promise<void> {
  await db
    .updateTable('organization_areas')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

/** An area of the organization; undefined for another organization's or account's. */
export async function findArea(
  db: Conn,
  accountId: string,
  organizationId: string,
  id: string,
): Promise<AreaRow | undefined> {
  return db
    .selectFrom('organization_areas')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Deleting an organization takes its locations and areas with it (same transaction). */
export async function deleteLocationsOf(
  db: Conn,
  accountId: string,
  organizationId: string,
): Promise<void> {
  await db
    .deleteFrom('organization_areas')
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .execute();
  await db
    .deleteFrom('organization_locations')
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .execute();
}

/** Names of locations and areas by id (the ticket list and page show them, deactivated too). */
export async function placeNames(
  db: Conn,
  accountId: string,
  locationIds: string[],
  areaIds: string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (locationIds.length) {
    const rows = await db
      .selectFrom('organization_locations')
      .select(['id', 'name'])
      .where('account_id', '=', accountId)
      .where('id', 'in', locationIds)
      .execute();
    for (const row of rows) names.set(row.id, row.name);
  }
  if (areaIds.length) {
    const rows = await db
      .selectFrom('organization_areas')
      .select(['id', 'name'])
      .where('account_id', '=', accountId)
      .where('id', 'in', areaIds)
      .execute();
    for (const row of rows) names.set(row.id, row.name);
  }
  return names;
}
