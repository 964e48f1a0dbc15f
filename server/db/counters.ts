// Per-account sequences (customer numbers, later ticket numbers): one row per account and name,
// bumped inside the caller's transaction so numbers are never handed out twice.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.ts';

/** Reserves `count` numbers and returns the first of them. */
export async function reserveNumbers(
  trx: Kysely<Database> | Transaction<Database>,
  accountId: string,
  name: string,
  count = 1,
): Promise<number> {
  const row = await trx
    .insertInto('counters')
    .values({ account_id: accountId, name, value: count })
    .onConflict((oc) =>
      oc.columns(['account_id', 'name']).doUpdateSet({ value: sql`counters.value + ${count}` }),
    )
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value) - count + 1;
}
