// Sends one outbox email over SMTP (SMTP_URL), with the Message-ID, In-Reply-To and References
// that make mail clients thread it; retries with exponential backoff, then marks it failed. A
// permanent refusal (an SMTP 5xx: no such mailbox, relaying denied) fails it at once with the
// server's answer as the reason: five more attempts over an hour would only hide it.
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import { defineTask } from '../jobs/task.ts';
import { findOutbox, markOutbox, moveOutbox } from './outbox.repository.ts';

export interface SendEmailDeps {
  db: Kysely<Database>;
  /** One SMTP transport (SMTP_URL) for every send, made where the task is registered. */
  transport: Transporter;
}

export const sendEmailTask = defineTask({
  // Stored in the jobs table: queued jobs from older versions name it so.
  kind: 'send-email',
  payload: z.object({ outboxId: z.string().min(1) }),
  attempts: 6,
  backoffMs: (attempt) => Math.min(30_000 * 2 ** (attempt - 1), 30 * 60_000),
  run: async ({ job, payload: { outboxId } }, { db, transport }: SendEmailDeps) => {
    const mail = await findOutbox(db, job.account_id, outboxId);
    // Sent already, or discarded (or held again) by an administrator since it was queued.
    if (!mail || mail.status !== 'queued') return;
    try {
      await transport.sendMail({
        from: mail.from_address,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.body_text,
        messageId: mail.message_id,
        inReplyTo: mail.in_reply_to ?? undefined,
        references: mail.references ?? undefined,
        headers: { 'X-Kunde-Outbox': mail.id },
      });
    } catch (error) {
      const permanent = isPermanentRefusal(error);
      await markOutbox(db, job.account_id, outboxId, {
        attempts: mail.attempts + 1,
        last_error: error instanceof Error ? error.message : String(error),
        ...(permanent ? { status: 'failed' as const } : {}),
      });
      if (permanent) return;
      throw error;
    }
    await markOutbox(db, job.account_id, outboxId, {
      status: 'sent',
      sent_at: nowIso(),
      attempts: mail.attempts + 1,
      last_error: null,
    });
  },
  onFailed: async ({ job, payload: { outboxId } }, { db }) => {
    // Only what is still waiting: mail discarded meanwhile stays discarded.
    await moveOutbox(db, job.account_id, outboxId, ['queued'], { status: 'failed' });
  },
});

/** nodemailer puts the SMTP reply code on its error; 5xx means the server will never take it. */
export function isPermanentRefusal(error: unknown): boolean {
  const code =
    typeof error === 'object' && error !== null && 'responseCode' in error
      ? Number(error.responseCode)
      : NaN;
  return code >= 500 && code < 600;
}
