// Hub links' SQL (sign-in, set password, confirm a registration): a row per link, found by the
// SHA-256 of its secret, used once. Using it is one UPDATE that also checks it unused and
// unexpired, so of two concurrent redeems exactly one gets the row back.
import type { HubTokenTable } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';

export async function insertHubToken(db: Conn, row: HubTokenTable): Promise<void> {
  await db.insertInto('hub_tokens').values(row).execute();
}

/** The link, whatever its state (the caller checks used and expired). */
export async function findHubToken(
  db: Conn,
  accountId: string,
  tokenHash: string,
): Promise<HubTokenTable | undefined> {
  return db
    .selectFrom('hub_tokens')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks the link used if it is unused and unexpired; the link, or undefined when it was not. */
export async function useHubToken(
  db: Conn,
  accountId: string,
  tokenHash: string,
  now: string,
): Promise<HubTokenTable | undefined> {
  return db
    .updateTable('hub_tokens')
    .set({ used_at: now })
    .where('account_id', '=', accountId)
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

/** A customer's unused links of one purpose end when a newer one is sent or one is used. */
export async function discardHubTokens(
  db: Conn,
  accountId: string,
  customerId: string,
  purpose: HubTokenTable['purpose'],
): Promise<void> {
  await db
    .deleteFrom('hub_tokens')
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}
