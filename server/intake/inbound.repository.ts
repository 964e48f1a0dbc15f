// All SQL for inbound email: the received messages and their states, and the addresses an
// account sends and receives mail as (to recognise its own mail coming back).
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { InboundEmail, InboundState } from '../../common/inbound.ts';
import type { Database, InboundEmailTable } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';

type Conn = Kysely<Database> | Transaction<Database>;
export type InboundEmailRow = Selectable<InboundEmailTable>;

export function inboundRowToInboundEmail(row: InboundEmailRow): InboundEmail {
  return {
    id: row.id,
    state: row.status,
    source: row.source,
    reason: row.status === 'ignored' ? row.outcome : null,
    lastError: row.last_error,
    attempts: Number(row.attempts),
    envelopeFrom: row.mail_from,
    to: row.rcpt_to,
    from: row.header_from,
    subject: row.subject,
    ticketId: row.ticket_id,
    receivedAt: new Date(row.received_at).toISOString(),
    updatedAt: row.updated_at ? new Date(row.updated_at).toISOString() : null,
    retryAt: row.retry_at ? new Date(row.retry_at).toISOString() : null,
  };
}

export async function insertInbound(db: Conn, row: InboundEmailRow): Promise<void> {
  await db.insertInto('inbound_emails').values(row).execute();
}

export function findInbound(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('inbound_emails')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listInbound(
  db: Conn,
  accountId: string,
  state: InboundState | undefined,
  limit: number,
): Promise<{ rows: InboundEmailRow[]; total: number }> {
  let query = db.selectFrom('inbound_emails').where('account_id', '=', accountId);
  if (state) query = query.where('status', '=', state);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** What was read from the message, recorded with every outcome (null before it was parsed). */
export interface InboundSummary {
  headerFrom: string | null;
  subject: string | null;
}

export async function markInbound(
  db: Conn,
  accountId: string,
  id: string,
  change: {
    status: 'processed' | 'ignored' | 'failed';
    outcome?: string | null;
    ticketId?: string | null;
    lastError?: string | null;
    attempts: number;
    summary?: InboundSummary;
  },
): Promise<void> {
  await db
    .updateTable('inbound_emails')
    .set({
      status: change.status,
      ...(change.outcome !== undefined ? { outcome: change.outcome } : {}),
      ...(change.ticketId !== undefined ? { ticket_id: change.ticketId } : {}),
      ...(change.lastError !== undefined ? { last_error: change.lastError } : {}),
      ...(change.summary
        ? { header_from: change.summary.headerFrom, subject: change.summary.subject }
        : {}),
      ...(change.status === 'failed' ? {} : { retry_at: null }),
      attempts: change.attempts,
      updated_at: nowIso(),
    })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

/** When the next automatic attempt runs (null: none is queued, an administrator must retry). */
export async function setRetryAt(
  db: Conn,
  accountId: string,
  id: string,
  at: Date | null,
): Promise<void> {
  await db
    .updateTable('inbound_emails')
    .set({ retry_at: at ? at.toISOString() : null })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('status', 'in', ['received', 'failed'])
    .execute();
}
