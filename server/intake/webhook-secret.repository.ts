// SQL for webhook secrets. A webhook secret is an api_tokens row owned by a pseudo user (the
// webhook's name) rather than an agent, so it can never act as an agent's API token: token
// authentication needs an active user with that id, and none exists.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';

export async function replaceWebhookSecret(
  db: Kysely<Database>,
  accountId: string,
  owner: string,
  secretHash: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('api_tokens')
      .where('account_id', '=', accountId)
      .where('user_id', '=', owner)
      .execute();
    await trx
      .insertInto('api_tokens')
      .values({
        account_id: accountId,
        id: newId(),
        user_id: owner,
        name: owner,
        token_hash: secretHash,
        created_at: nowIso(),
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
  });
}

export async function webhookSecretExists(
  db: Kysely<Database>,
  accountId: string,
  owner: string,
  secretHash: string,
): Promise<boolean> {
  const found = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('account_id', '=', accountId)
    .where('user_id', '=', owner)
    .where('token_hash', '=', secretHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Boolean(found);
}

/** When each of the account's webhook secrets was made (no row: the webhook has none yet). */
export async function webhookSecretsCreatedAt(
  db: Kysely<Database>,
  accountId: string,
  owners: string[],
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['user_id', 'created_at'])
    .where('account_id', '=', accountId)
    .where('user_id', 'in', owners)
    .where('revoked_at', 'is', null)
    .execute();
  return new Map(rows.map((row) => [row.user_id, row.created_at]));
}
