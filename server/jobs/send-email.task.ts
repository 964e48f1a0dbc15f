// Sends one outbox email over SMTP (SMTP_URL), with the Message-ID, In-Reply-To and References
// that make mail clients thread it; retries with exponential backoff, then marks it failed.
import nodemailer from 'nodemailer';
import type { Db } from '../db/connect.ts';
import { nowIso } from '../db/ids.ts';
import { SEND_EMAIL_JOB, findOutbox, markOutbox } from '../mail/outbox.ts';
import type { Task } from './worker.ts';

export function sendEmailTask(db: Db, smtpUrl: string): Task {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    kind: SEND_EMAIL_JOB,
    backoffMs: (attempt) => Math.min(30_000 * 2 ** (attempt - 1), 30 * 60_000),
    run: async ({ job, payload }) => {
      const { outboxId } = payload as { outboxId: string };
      const mail = await findOutbox(db.kysely, job.account_id, outboxId);
      if (!mail || mail.status === 'sent') return;
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
        await markOutbox(db.kysely, job.account_id, outboxId, {
          attempts: mail.attempts + 1,
          last_error: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
      await markOutbox(db.kysely, job.account_id, outboxId, {
        status: 'sent',
        sent_at: nowIso(),
        attempts: mail.attempts + 1,
        last_error: null,
      });
    },
    onFailed: async (job) => {
      const { outboxId } = JSON.parse(job.payload) as { outboxId: string };
      await markOutbox(db.kysely, job.account_id, outboxId, { status: 'failed' });
    },
  };
}
