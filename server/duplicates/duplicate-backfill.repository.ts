// SQL for the duplicate suggestion backfill (duplicate-backfill.ts): an account's backfill row
// (where its walk is), the next batch of its customers in id order (the primary key), and
// whether a job to run it is waiting.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, DuplicateBackfillTable } from '../db/database.ts';
import type { StoredCustomer } from './duplicate-upkeep.ts';
import { GONE_STATUSES } from './duplicate.repository.ts';

type Conn = Kysely<Database> | Transaction<Database>;
export type BackfillRow = Selectable<DuplicateBackfillTable>;

/** Asks for a backfill from the first customer: a new row, or one that starts over. */
export async function requestBackfill(db: Conn, accountId: string, now: string): Promise<void> {
  const fresh = { after_id: null, customers_done: 0, requested_at: now, updated_at: now };
  await db
    .insertInto('duplicate_backfills')
    .values({ account_id: accountId, ...fresh, finished_at: null })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ ...fresh, finished_at: null }))
    .execute();
}

/**
 * The account's backfill row, locked for the caller's transaction: written first, so that on
 * SQLite the transaction holds the write lock from its first statement (a read first could not
 * take it later if another process wrote in between) and on PostgreSQL a second runner of the
 * same account waits here for this batch, then reads where it ended.
 */
export async function lockBackfill(
  trx: Transaction<Database>,
  accountId: string,
  now: string,
): Promise<BackfillRow | undefined> {
  return await trx
    .updateTable('duplicate_backfills')
    .set({ updated_at: now })
    .where('account_id', '=', accountId)
    .returningAll()
    .executeTakeFirst();
}

export async function findBackfill(db: Conn, accountId: string): Promise<BackfillRow | undefined> {
  return await db
    .selectFrom('duplicate_backfills')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** Where the walk is after a batch; finished_at set once it reached the last customer. */
export async function advanceBackfill(
  trx: Transaction<Database>,
  accountId: string,
  position: Pick<BackfillRow, 'after_id' | 'customers_done' | 'finished_at' | 'updated_at'>,
): Promise<void> {
  await trx
    .updateTable('duplicate_backfills')
    .set(position)
    .where('account_id', '=', accountId)
    .execute();
}

/** The next live customers after `afterId`, in id order. */
export async function customersAfter(
  db: Conn,
  accountId: string,
  afterId: string | null,
  limit: number,
): Promise<StoredCustomer[]> {
  let q = db
    .selectFrom('customers')
    .select(['id', 'status', 'first_name', 'last_name', 'organization_id', 'custom_attributes'])
    .where('account_id', '=', accountId)
    .where('status', 'not in', [...GONE_STATUSES]);
  if (afterId !== null) q = q.where('id', '>', afterId);
  return await q.orderBy('id').limit(limit).execute();
}

/** Whether a job of this kind is queued or running for the account. */
export async function hasOpenJob(db: Conn, accountId: string, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('account_id', '=', accountId)
    .where('kind', '=', kind)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return row !== undefined;
}
