// The outbox rows the send-email task reads and marks, a ticket's mail for its replies' delivery
// states, and the record of what administrators did to outbox mail. Apart from outbox.ts so the
// task can use them while outbox.ts queues the task, without the two modules importing each
// other.
import type { Kysely, Transaction } from 'kysely';
import type { Database, OutboxRow } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';

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

/**
 * Moves one email from one of `from` to the state in `set`; answers false when it was in none of
 * them (another administrator, or the worker, got there first), so two clicks never queue it
 * twice.
 */
export async function moveOutbox(
  db: Conn,
  accountId: string,
  id: string,
  from: readonly OutboxRow['status'][],
  set: Partial<OutboxRow>,
): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The delivery columns of a ticket's mail (outbox_ticket_idx), matched to replies by Message-ID. */
export async function outboxOfTicket(db: Conn, accountId: string, ticketId: string) {
  return db
    .selectFrom('outbox')
    .select([
      'id',
      'message_id',
      'status',
      'hold_reason',
      'attempts',
      'last_error',
      'sent_at',
      'created_at',
    ])
    .where('account_id', '=', accountId)
    .where('ticket_id', '=', ticketId)
    .execute();
}

export async function recordOutboxAction(
  db: Conn,
  accountId: string,
  entry: { outboxId: string; action: 'released' | 'retried' | 'discarded' },
  by: { userId: string | null; name: string },
): Promise<void> {
  await db
    .insertInto('outbox_actions')
    .values({
      account_id: accountId,
      id: newId(),
      outbox_id: entry.outboxId,
      action: entry.action,
      user_id: by.userId,
      user_name: by.name,
      created_at: nowIso(),
    })
    .execute();
}

export async function outboxActionsOf(db: Conn, accountId: string, outboxIds: string[]) {
  if (outboxIds.length === 0) return [];
  return db
    .selectFrom('outbox_actions')
    .select(['outbox_id', 'action', 'user_id', 'user_name', 'created_at'])
    .where('account_id', '=', accountId)
    .where('outbox_id', 'in', outboxIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
