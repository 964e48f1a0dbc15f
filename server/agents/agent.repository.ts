// SQL for agents (users), roles, the login directory, sessions and API tokens.
import type { Kysely, Transaction } from 'kysely';
import { PERMISSIONS, permissionSchema, type Permission } from '../../common/permissions.ts';
import type { Database, RoleRow, UserRow } from '../db/database.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export interface RoleRecord {
  id: string;
  name: string;
  permissions: Permission[];
  builtIn: string | null;
}

export function roleRowToRole(row: RoleRow): RoleRecord {
  // The built-in Administrator always has every permission, also one added after it was stored.
  if (row.built_in === 'administrator') {
    return { id: row.id, name: row.name, permissions: [...PERMISSIONS], builtIn: row.built_in };
  }
  const raw = JSON.parse(row.permissions) as unknown;
  const permissions = Array.isArray(raw)
    ? raw.filter((p): p is Permission => permissionSchema.safeParse(p).success)
    : [];
  return { id: row.id, name: row.name, permissions, builtIn: row.built_in };
}

export async function insertRole(
  db: Conn,
  accountId: string,
  role: RoleRecord,
  createdAt: string,
): Promise<void> {
  await db
    .insertInto('roles')
    .values({
      account_id: accountId,
      id: role.id,
      name: role.name,
      permissions: JSON.stringify(role.permissions),
      built_in: role.builtIn,
      created_at: createdAt,
    })
    .execute();
}

export async function listRoles(db: Conn, accountId: string): Promise<RoleRecord[]> {
  const rows = await db
    .selectFrom('roles')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('name')
    .execute();
  return rows.map(roleRowToRole);
}

export async function findRole(
  db: Conn,
  accountId: string,
  roleId: string,
): Promise<RoleRecord | undefined> {
  const row = await db
    .selectFrom('roles')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', roleId)
    .executeTakeFirst();
  return row ? roleRowToRole(row) : undefined;
}

export async function findBuiltInRole(
  db: Conn,
  accountId: string,
  builtIn: string,
): Promise<RoleRecord | undefined> {
  const row = await db
    .selectFrom('roles')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('built_in', '=', builtIn)
    .executeTakeFirst();
  return row ? roleRowToRole(row) : undefined;
}

export async function insertUser(db: Conn, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
  await db
    .insertInto('login_directory')
    .values({ email: row.email, account_id: row.account_id, user_id: row.id })
    .execute();
}

export async function findUser(
  db: Conn,
  accountId: string,
  userId: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function listUsers(db: Conn, accountId: string): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('name')
    .execute();
}

export async function updateUserLocale(
  db: Conn,
  accountId: string,
  userId: string,
  locale: string,
  updatedAt: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ locale, updated_at: updatedAt })
    .where('account_id', '=', accountId)
    .where('id', '=', userId)
    .execute();
}

/** The one lookup not scoped by account: which account an agent's login email belongs to. */
export async function findLoginByEmail(
  db: Conn,
  email: string,
): Promise<{ accountId: string; userId: string } | undefined> {
  const row = await db
    .selectFrom('login_directory')
    .select(['account_id', 'user_id'])
    .where('email', '=', email)
    .executeTakeFirst();
  return row ? { accountId: row.account_id, userId: row.user_id } : undefined;
}

export async function findUserByEmail(
  db: Conn,
  accountId: string,
  email: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function insertSession(
  db: Conn,
  session: {
    accountId: string;
    idHash: string;
    userId: string;
    createdAt: string;
    expiresAt: string;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      account_id: session.accountId,
      id_hash: session.idHash,
      user_id: session.userId,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .execute();
}

export async function findSessionUser(
  db: Conn,
  accountId: string,
  idHash: string,
  now: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select('user_id')
    .where('account_id', '=', accountId)
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.user_id;
}

export async function deleteSession(db: Conn, accountId: string, idHash: string): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('account_id', '=', accountId)
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteExpiredSessions(
  db: Conn,
  accountId: string,
  now: string,
): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('account_id', '=', accountId)
    .where('expires_at', '<=', now)
    .execute();
}

export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export async function insertToken(
  db: Conn,
  accountId: string,
  token: TokenRecord & { tokenHash: string },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      account_id: accountId,
      id: token.id,
      user_id: token.userId,
      name: token.name,
      token_hash: token.tokenHash,
      created_at: token.createdAt,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
}

export async function findActiveToken(
  db: Conn,
  accountId: string,
  tokenHash: string,
): Promise<{ id: string; userId: string; lastUsedAt: string | null } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'last_used_at'])
    .where('account_id', '=', accountId)
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, lastUsedAt: row.last_used_at } : undefined;
}

export async function touchToken(
  db: Conn,
  accountId: string,
  id: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

export async function listTokens(
  db: Conn,
  accountId: string,
  userId: string,
): Promise<TokenRecord[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'created_at', 'last_used_at'])
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
}

export async function revokeToken(
  db: Conn,
  accountId: string,
  userId: string,
  id: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
