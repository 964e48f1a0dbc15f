// The outbox rows the send-email task reads and marks. Apart from outbox.ts so the task can use
// them while outbox.ts queues the task, without the two modules importing each other.
import type { Kysely, Transaction } from 'kysely';
import type { Database, OutboxRow } from '../db/database.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export async function findOutbox(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function markOutbox(db: Conn, accountId: string, id: string, set: Partial<OutboxRow>) {
  await db
    .updateTable('outbox')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}
