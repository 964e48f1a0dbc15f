// SQL for accounts and their settings.
import type { Kysely, Transaction } from 'kysely';
import { accountSettingsSchema, type AccountSettings } from '../../common/settings.ts';
import type { Database } from '../db/database.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export interface Account {
  id: string;
  name: string;
  settings: AccountSettings;
  createdAt: string;
}

/**
 * The stored JSON read through the schema (defaults filled in), remembered by its text: every
 * sender lookup, import batch and customer write reads the account's settings, and the same
 * text gives the same settings. Each caller gets its own copy to change as it likes.
 */
function parseSettings(json: string): AccountSettings {
  let parsed = parsedSettings.get(json);
  if (!parsed) {
    const result = accountSettingsSchema.safeParse(JSON.parse(json) as unknown);
    parsed = result.success ? result.data : accountSettingsSchema.parse({});
    if (parsedSettings.size >= 200) parsedSettings.clear();
    parsedSettings.set(json, parsed);
  }
  return structuredClone(parsed);
}
const parsedSettings = new Map<string, AccountSettings>();

export async function insertAccount(db: Conn, account: Account): Promise<void> {
  await db
    .insertInto('accounts')
    .values({
      account_id: account.id,
      name: account.name,
      settings: JSON.stringify(account.settings),
      created_at: account.createdAt,
    })
    .execute();
}

export async function findAccount(db: Conn, accountId: string): Promise<Account | undefined> {
  const row = await db
    .selectFrom('accounts')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row
    ? {
        id: row.account_id,
        name: row.name,
        settings: parseSettings(row.settings),
        createdAt: row.created_at,
      }
    : undefined;
}

export async function updateAccountSettings(
  db: Conn,
  accountId: string,
  settings: AccountSettings,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ settings: JSON.stringify(settings) })
    .where('account_id', '=', accountId)
    .execute();
}

/** Whether any account exists: the first-run page shows only on an empty database. */
export async function hasAnyAccount(db: Conn): Promise<boolean> {
  const row = await db.selectFrom('accounts').select('account_id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Every account, oldest first: the platform administrator's list. The one query that reads
 * across accounts on purpose; it touches only the accounts table, never a tenant's data.
 */
export async function listAccounts(
  db: Conn,
): Promise<{ id: string; name: string; createdAt: string }[]> {
  const rows = await db
    .selectFrom('accounts')
    .select(['account_id', 'name', 'created_at'])
    .orderBy('created_at')
    .orderBy('account_id')
    .execute();
  return rows.map((r) => ({ id: r.account_id, name: r.name, createdAt: r.created_at }));
}

/** Whether mail to some address of this account's own reaches it (SMTP intake routing). */
export async function hasSupportAddress(db: Conn, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('inbound_addresses')
    .select('account_id')
    .where('account_id', '=', accountId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
