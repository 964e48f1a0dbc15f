// SQL for teams and their members.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export async function listTeamRows(db: Conn, accountId: string) {
  return db
    .selectFrom('teams')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('name_key')
    .execute();
}

export async function listTeamMembers(db: Conn, accountId: string) {
  return db.selectFrom('team_members').selectAll().where('account_id', '=', accountId).execute();
}

/** Which of these user ids are agents of the account. */
export async function existingAgentIds(
  db: Conn,
  accountId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function insertTeam(
  db: Conn,
  accountId: string,
  team: { id: string; name: string; memberIds: string[]; access: 'all' | 'organizations' },
  at: string,
) {
  await db
    .insertInto('teams')
    .values({
      account_id: accountId,
      id: team.id,
      name: team.name,
      name_key: team.name.toLowerCase(),
      access: team.access,
      created_at: at,
    })
    .execute();
  if (team.memberIds.length) {
    await db
      .insertInto('team_members')
      .values(
        team.memberIds.map((user_id) => ({ account_id: accountId, team_id: team.id, user_id })),
      )
      .execute();
  }
}

/** Renames a team or changes its access; false when the team is not there. */
export async function updateTeamRow(
  db: Conn,
  accountId: string,
  id: string,
  set: { name?: string; access?: 'all' | 'organizations' },
): Promise<boolean> {
  if (set.name === undefined && set.access === undefined) {
    const row = await db
      .selectFrom('teams')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row !== undefined;
  }
  const result = await db
    .updateTable('teams')
    .set({
      ...(set.name !== undefined ? { name: set.name, name_key: set.name.toLowerCase() } : {}),
      ...(set.access !== undefined ? { access: set.access } : {}),
    })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Sets a team's members to exactly these agents. */
export async function replaceMembers(db: Conn, accountId: string, teamId: string, ids: string[]) {
  await db
    .deleteFrom('team_members')
    .where('account_id', '=', accountId)
    .where('team_id', '=', teamId)
    .execute();
  if (ids.length)
    await db
      .insertInto('team_members')
      .values(ids.map((user_id) => ({ account_id: accountId, team_id: teamId, user_id })))
      .execute();
}

/** Deletes a team with its members and routing rules; its tickets keep no team. False if absent. */
export async function deleteTeam(db: Conn, accountId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('teams')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) return false;
  await db
    .deleteFrom('team_members')
    .where('account_id', '=', accountId)
    .where('team_id', '=', id)
    .execute();
  await db
    .deleteFrom('routing_rules')
    .where('account_id', '=', accountId)
    .where('team_id', '=', id)
    .execute();
  await db
    .updateTable('tickets')
    .set({ team_id: null })
    .where('account_id', '=', accountId)
    .where('team_id', '=', id)
    .execute();
  return true;
}
