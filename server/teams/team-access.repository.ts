// SQL for a team's ticket access (issue 13): the organizations, locations and areas it serves
// (team_access), the names they are shown with, and which members see everything anyway.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { newId } from '../db/ids.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export interface AccessEntryRow {
  team_id: string;
  organization_id: string;
  location_id: string | null;
  area_id: string | null;
}

export async function listTeamAccess(db: Conn, accountId: string): Promise<AccessEntryRow[]> {
  return db
    .selectFrom('team_access')
    .select(['team_id', 'organization_id', 'location_id', 'area_id'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Replaces what one team serves (in the caller's transaction). */
export async function replaceTeamAccess(
  db: Conn,
  accountId: string,
  teamId: string,
  entries: Omit<AccessEntryRow, 'team_id'>[],
  at: string,
): Promise<void> {
  await db
    .deleteFrom('team_access')
    .where('account_id', '=', accountId)
    .where('team_id', '=', teamId)
    .execute();
  // 8 columns a row: 100 rows a statement stays under SQLite's bound-parameter limit.
  for (let i = 0; i < entries.length; i += 100)
    await db
      .insertInto('team_access')
      .values(
        entries.slice(i, i + 100).map((e) => ({
          account_id: accountId,
          id: newId(),
          team_id: teamId,
          organization_id: e.organization_id,
          location_id: e.location_id,
          area_id: e.area_id,
          created_at: at,
        })),
      )
      .execute();
}

/** The places entries name, by id: organizations, locations (with their organization), areas. */
export async function accessPlaces(
  db: Conn,
  accountId: string,
  ids: { organizations: string[]; locations: string[]; areas: string[] },
) {
  const [organizations, locations, areas] = await Promise.all([
    ids.organizations.length
      ? db
          .selectFrom('organizations')
          .select(['id', 'name'])
          .where('account_id', '=', accountId)
          .where('id', 'in', ids.organizations)
          .execute()
      : [],
    ids.locations.length
      ? db
          .selectFrom('organization_locations')
          .select(['id', 'name', 'organization_id'])
          .where('account_id', '=', accountId)
          .where('id', 'in', ids.locations)
          .execute()
      : [],
    ids.areas.length
      ? db
          .selectFrom('organization_areas')
          .select(['id', 'name', 'location_id'])
          .where('account_id', '=', accountId)
          .where('id', 'in', ids.areas)
          .execute()
      : [],
  ]);
  return {
    organizations: new Map(organizations.map((o) => [o.id, o.name])),
    locations: new Map(locations.map((l) => [l.id, l])),
    areas: new Map(areas.map((a) => [a.id, a])),
  };
}

/** Which agents of the account have a role with this permission (e.g. scope.all). */
export async function agentsWithPermission(
  db: Conn,
  accountId: string,
  permission: string,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('roles', (j) =>
      j.onRef('roles.account_id', '=', 'users.account_id').onRef('roles.id', '=', 'users.role_id'),
    )
    .select(['users.id', 'roles.permissions'])
    .where('users.account_id', '=', accountId)
    .execute();
  return new Set(
    rows
      .filter((r) => (JSON.parse(r.permissions) as string[]).includes(permission))
      .map((r) => r.id),
  );
}
