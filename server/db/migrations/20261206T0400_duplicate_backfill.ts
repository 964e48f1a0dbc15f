// Issue 15 point 4: duplicate suggestions for the customers that were there before upkeep.
// Upkeep keeps a customer's match keys and pairs as it is written (20261205T0200_duplicate_keys);
// a customer written before that migration has none and is never compared. Each account with
// such customers gets a backfill row (where its walk is, server/duplicates/duplicate-backfill.ts)
// and one queued job that walks them; an account made later never needs one.
//
// "Such customers" are the live ones created no later than the duplicate keys migration ran
// (its time in kysely_migration). Not "accounts without match keys": an account upgraded
// through that release has keys for its new customers and none for its old ones.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

/** The task's kind and attempts (duplicate-backfill.task.ts), as that task declares them. */
const TASK_KIND = 'duplicate-backfill';
const TASK_ATTEMPTS = 10;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('duplicate_backfills')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('after_id', 'text')
    .addColumn('customers_done', 'integer', (c) => c.notNull())
    .addColumn('requested_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('finished_at', t.timestamp)
    .addPrimaryKeyConstraint('duplicate_backfills_pk', ['account_id'])
    .execute();

  const keysMigration = await sql<{ timestamp: string }>`
    select timestamp from kysely_migration where name = '20261205T0200_duplicate_keys'`.execute(db);
  const keysSince = keysMigration.rows[0]?.timestamp;
  let accounts = db
    .selectFrom('customers')
    .select('account_id')
    .where('status', 'not in', ['merged', 'erasing'])
    .groupBy('account_id');
  if (keysSince) accounts = accounts.where('created_at', '<=', keysSince);
  const now = new Date().toISOString();
  for (const { account_id } of (await accounts.execute()) as { account_id: string }[]) {
    await db
      .insertInto('duplicate_backfills')
      .values({
        account_id,
        after_id: null,
        customers_done: 0,
        requested_at: now,
        updated_at: now,
        finished_at: null,
      })
      .execute();
    await db
      .insertInto('jobs')
      .values({
        account_id,
        id: randomUUID(),
        kind: TASK_KIND,
        payload: '{}',
        status: 'queued',
        attempts: 0,
        max_attempts: TASK_ATTEMPTS,
        run_at: now,
        locked_by: null,
        locked_until: null,
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('jobs').where('kind', '=', TASK_KIND).execute();
  await db.schema.dropTable('duplicate_backfills').execute();
}
