// SQL for set-password tokens (invitations and resets): stored as hashes, used once.
import type { PasswordTokenTable } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';

export async function insertPasswordToken(db: Conn, row: PasswordTokenTable): Promise<void> {
  await db.insertInto('password_tokens').values(row).execute();
}

export async function findPasswordToken(
  db: Conn,
  accountId: string,
  tokenHash: string,
): Promise<PasswordTokenTable | undefined> {
  return db
    .selectFrom('password_tokens')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks the token used unless it already was; false when another request used it first. */
export async function usePasswordToken(
  db: Conn,
  accountId: string,
  id: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('password_tokens')
    .set({ used_at: at })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends the agent's unused links: a newer one replaces them, or the agent was deactivated. */
export async function discardPasswordTokens(
  db: Conn,
  accountId: string,
  userId: string,
): Promise<void> {
  await db
    .deleteFrom('password_tokens')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}
