// SQL for the Customer Hub's address: hub_addresses maps a slug to its account (a reference
// table, read before any account is known, so the slug is unique across the installation).
import type { Conn } from '../db/transaction.ts';

export async function findHubSlug(db: Conn, accountId: string): Promise<string | null> {
  const row = await db
    .selectFrom('hub_addresses')
    .select('slug')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row?.slug ?? null;
}

/** Which of these slugs another account holds (this account's own never counts as taken). */
export async function takenHubSlugs(
  db: Conn,
  accountId: string,
  slugs: string[],
): Promise<Set<string>> {
  if (slugs.length === 0) return new Set();
  const rows = await db
    .selectFrom('hub_addresses')
    .select('slug')
    .where('slug', 'in', slugs)
    .where('account_id', '!=', accountId)
    .execute();
  return new Set(rows.map((r) => r.slug));
}

/** The account's one address: the old one is let go in the same transaction. */
export async function setHubSlug(db: Conn, accountId: string, slug: string): Promise<void> {
  await db.deleteFrom('hub_addresses').where('account_id', '=', accountId).execute();
  await db.insertInto('hub_addresses').values({ slug, account_id: accountId }).execute();
}
