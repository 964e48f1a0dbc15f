// SQL for administering agents: editing their row and login email, their team memberships,
// ending their sessions and API tokens, and the account lock that keeps one administrator.
import { PostgresAdapter, type Transaction } from 'kysely';
import type { Database, UserTable } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';

/**
 * Holds the account's row until the transaction ends, so that two changes that could each take
 * away an administrator (a demotion, a deactivation) decide one after the other and the second
 * sees the first. PostgreSQL: SELECT … FOR UPDATE. SQLite: a no-op write, which takes the
 * database's write lock (from another process too, which a plain read would not).
 */
export async function lockAccountAgents(
  trx: Transaction<Database>,
  accountId: string,
): Promise<void> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    await trx
      .selectFrom('accounts')
      .select('account_id')
      .where('account_id', '=', accountId)
      .forUpdate()
      .execute();
    return;
  }
  await trx
    .updateTable('accounts')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('account_id', '=', accountId)
    .execute();
}

/** Active agents holding this role who can log in (an invited one has no password yet). */
export async function countActiveWithRole(
  db: Conn,
  accountId: string,
  roleId: string,
): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('account_id', '=', accountId)
    .where('role_id', '=', roleId)
    .where('status', '=', 'active')
    .where('password_hash', 'is not', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export type UserPatch = Partial<
  Pick<UserTable, 'name' | 'email' | 'role_id' | 'locale' | 'status' | 'password_hash'>
>;

export async function updateUser(
  db: Conn,
  accountId: string,
  userId: string,
  patch: UserPatch,
  updatedAt: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ ...patch, updated_at: updatedAt })
    .where('account_id', '=', accountId)
    .where('id', '=', userId)
    .execute();
}

/** Moves the agent's entry in the login directory to a new email (unique installation-wide). */
export async function moveLoginEmail(
  db: Conn,
  accountId: string,
  userId: string,
  from: string,
  to: string,
): Promise<void> {
  await db
    .deleteFrom('login_directory')
    .where('email', '=', from)
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .execute();
  await db
    .insertInto('login_directory')
    .values({ email: to, account_id: accountId, user_id: userId })
    .execute();
}

/** Each agent's team ids. */
export async function teamIdsByUser(db: Conn, accountId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('team_members')
    .select(['user_id', 'team_id'])
    .where('account_id', '=', accountId)
    .execute();
  const byUser = new Map<string, string[]>();
  for (const row of rows)
    byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row.team_id]);
  return byUser;
}

export async function existingTeamIds(
  db: Conn,
  accountId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('teams')
    .select('id')
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** The agent's teams become exactly these. */
export async function setUserTeams(
  db: Conn,
  accountId: string,
  userId: string,
  teamIds: string[],
): Promise<void> {
  await db
    .deleteFrom('team_members')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .execute();
  if (teamIds.length === 0) return;
  await db
    .insertInto('team_members')
    .values(teamIds.map((team_id) => ({ account_id: accountId, team_id, user_id: userId })))
    .execute();
}

export async function deleteUserSessions(
  db: Conn,
  accountId: string,
  userId: string,
): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .execute();
}

/** Ends the agent's sessions except the one they are using (their own password change). */
export async function deleteOtherUserSessions(
  db: Conn,
  accountId: string,
  userId: string,
  keepIdHash: string | undefined,
): Promise<void> {
  let query = db
    .deleteFrom('sessions')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId);
  if (keepIdHash) query = query.where('id_hash', '!=', keepIdHash);
  await query.execute();
}

/** Revokes every API token of the agent that is not revoked yet; returns how many. */
export async function revokeUserTokens(
  db: Conn,
  accountId: string,
  userId: string,
  at: string,
): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
