// The outbox: every email Kunde sends is a row first, written in the same transaction as what
// caused it; the job worker sends it. Without SMTP_URL the outbox holds the mail (shown under
// Administration → Outbox) instead of losing it.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { enqueue } from '../jobs/task.ts';
import { sendEmailTask } from './send-email.task.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export interface OutgoingEmail {
  ticketId?: string | null;
  to: string;
  from: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
}

export async function queueEmail(
  db: Conn,
  accountId: string,
  email: OutgoingEmail,
  smtpConfigured: boolean,
): Promise<string> {
  const id = newId();
  await db
    .insertInto('outbox')
    .values({
      account_id: accountId,
      id,
      ticket_id: email.ticketId ?? null,
      to_address: email.to,
      from_address: email.from,
      subject: email.subject,
      body_text: email.text,
      message_id: email.messageId,
      in_reply_to: email.inReplyTo ?? null,
      references: email.references?.length ? email.references.join(' ') : null,
      status: smtpConfigured ? 'queued' : 'held',
      attempts: 0,
      last_error: null,
      created_at: nowIso(),
      sent_at: null,
      hold_reason: smtpConfigured ? null : 'smtp_not_configured',
    })
    .execute();
  if (smtpConfigured) await enqueue(db, accountId, sendEmailTask, { outboxId: id });
  return id;
}

export async function listOutbox(db: Conn, accountId: string, limit: number) {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Once SMTP_URL is configured, mail held before is sent too. Returns how many were released. */
export async function releaseHeldMail(db: Kysely<Database>): Promise<number> {
  // Every account's held mail (SMTP_URL is the node's, not an account's), sought account by
  // account: outbox_status_idx leads with account_id, so a bare status filter read the table.
  const held = await db
    .selectFrom('outbox')
    .select(['account_id', 'id'])
    .where('account_id', 'in', db.selectFrom('accounts').select('account_id'))
    .where('status', '=', 'held')
    .execute();
  for (const mail of held) {
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({ status: 'queued', hold_reason: null })
        .where('account_id', '=', mail.account_id)
        .where('id', '=', mail.id)
        // Not what an administrator discarded or released meanwhile.
        .where('status', '=', 'held')
        .execute();
      await enqueue(trx, mail.account_id, sendEmailTask, { outboxId: mail.id });
    });
  }
  return held.length;
}
