// Email → ticket. The raw message is stored first (and committed before SMTP says 250); then it
// is parsed, automated and looping mail is ignored with a recorded reason, the sender is found or
// created, and the message threads onto a ticket by In-Reply-To/References or the [#number] in
// the subject. Every stored message ends in a state an administrator can see (processed,
// ignored with the reason, or failed with the error and a retry): nothing accepted is dropped.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { simpleParser } from 'mailparser';
import { cleanText } from '../../common/text.ts';
import { systemPrincipal } from '../agents/principal.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import { normalizeEmail } from '../customers/identity.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { FileStore } from '../files/file-store.ts';
import { isUniqueViolation, NotFoundError, ValidationError } from '../errors.ts';
import { cancelQueuedJob } from '../jobs/queue.ts';
import { enqueue } from '../jobs/task.ts';
import * as ticketRepo from '../tickets/ticket.repository.ts';
import { outboundFromAddress, type TicketService } from '../tickets/ticket.service.ts';
import * as repo from './inbound.repository.ts';
import { processEmailTask } from './process-email.task.ts';
import {
  automatedReason,
  badSenderReason,
  NO_SENDER_REASON,
  NULL_SENDER_REASON,
  ownAddressReason,
  readInboundMail,
  type InboundMail,
} from './inbound-mail.ts';
import { repairRawHeaders } from './raw-headers.ts';

export const MAX_EMAIL_BYTES = 25 * 1024 * 1024;
/**
 * When the job queued with every stored message runs: soon after the inline attempt, which
 * normally has finished by then (the job then finds the message processed and does nothing).
 * Should both run at once, the message's Message-ID (or one derived from the inbound id) is
 * unique per account, so the loser finds the winner's ticket: one message, one ticket.
 */
const SAFETY_NET_MS = 5_000;

export type EmailOutcome =
  | { kind: 'ticket'; ticketId: string; customerId: string; created: boolean }
  | { kind: 'ignored'; reason: string };

export interface InboundEnvelope {
  /** SMTP MAIL FROM; '' (or undefined over SMTP) is the null reverse-path of bounces. */
  from?: string;
  to: string;
  /** How it came; SMTP unless the webhook says otherwise (a webhook has no envelope sender). */
  source?: 'smtp' | 'webhook';
}

const errorText = (error: unknown) =>
  cleanText(error instanceof Error ? error.message : String(error)).slice(0, 2000);

export class EmailIntake {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly files: FileStore,
    private readonly customers: CustomerService,
    private readonly tickets: TicketService,
    /** Wakes this node's worker after a retry is queued. */
    private readonly onQueued: () => void = () => undefined,
  ) {}

  /** The safety-net job of each message stored on this node and not yet attempted inline. */
  private readonly safetyNets = new Map<string, string>();

  /**
   * Stores the raw message and returns its inbound id. The file is written, then the row and its
   * job commit in one transaction before this resolves; the SMTP intake says 250 only after
   * that, so once Kunde says yes the message survives a crash. The job (due in SAFETY_NET_MS)
   * retries a failed inline attempt, and processes the message if this node died before it
   * could; when the inline attempt succeeded, the job finds it processed and does nothing.
   */
  async store(accountId: string, raw: Buffer, envelope: InboundEnvelope): Promise<string> {
    const id = newId();
    const fileKey = `inbound/${accountId}/${id}.eml`;
    await this.files.write(fileKey, Readable.from([raw]));
    const source = envelope.source ?? 'smtp';
    const safetyNet = new Date(Date.now() + SAFETY_NET_MS);
    const jobId = await this.db.transaction().execute(async (trx) => {
      await repo.insertInbound(trx, {
        account_id: accountId,
        id,
        file_key: fileKey,
        mail_from: source === 'smtp' ? cleanText(envelope.from ?? '') : null,
        rcpt_to: cleanText(envelope.to),
        status: 'received',
        outcome: null,
        ticket_id: null,
        received_at: nowIso(),
        source,
        attempts: 0,
        last_error: null,
        header_from: null,
        subject: null,
        updated_at: null,
        retry_at: safetyNet.toISOString(),
      });
      return enqueue(trx, accountId, processEmailTask, { inboundId: id }, { runAt: safetyNet });
    });
    this.safetyNets.set(id, jobId);
    return id;
  }

  /**
   * The inline attempt after store(); a failure is recorded as failed, and store()'s job retries.
   * On success the job is withdrawn while no worker has claimed it: a claim that would only find
   * the message processed costs two writes per message and a jobs row kept for good.
   */
  async processStored(accountId: string, inboundId: string): Promise<EmailOutcome | undefined> {
    const jobId = this.safetyNets.get(inboundId);
    this.safetyNets.delete(inboundId);
    const outcome = await this.process(accountId, inboundId);
    if (jobId) await cancelQueuedJob(this.db, accountId, jobId);
    return outcome;
  }

  /** Queues an attempt at `runAt`; the job's own retries follow (see process-email.task.ts). */
  async queueRetry(accountId: string, inboundId: string, runAt = new Date()): Promise<void> {
    await enqueue(this.db, accountId, processEmailTask, { inboundId }, { runAt });
    await repo.setRetryAt(this.db, accountId, inboundId, runAt);
    this.onQueued();
  }

  /** One attempt. A failure is recorded on the message (state failed, the error) and rethrown. */
  async process(accountId: string, inboundId: string): Promise<EmailOutcome> {
    const stored = await repo.findInbound(this.db, accountId, inboundId);
    if (!stored) throw new NotFoundError('inbound email', inboundId);
    if (stored.status === 'processed' || stored.status === 'ignored') {
      return stored.ticket_id
        ? { kind: 'ticket', ticketId: stored.ticket_id, customerId: '', created: false }
        : { kind: 'ignored', reason: stored.outcome ?? '' };
    }
    const attempts = Number(stored.attempts) + 1;
    let summary: repo.InboundSummary | undefined;
    try {
      const raw = await this.readRaw(stored.file_key);
      const mail = readInboundMail(await simpleParser(repairRawHeaders(raw)));
      summary = { headerFrom: mail.fromLine, subject: mail.subject.slice(0, 500) || null };
      const ignored = await this.ignoredReason(accountId, stored, mail);
      if (ignored) {
        await repo.markInbound(this.db, accountId, inboundId, {
          status: 'ignored',
          outcome: ignored,
          attempts,
          summary,
        });
        return { kind: 'ignored', reason: ignored };
      }
      return await this.createTicket(accountId, inboundId, mail, attempts, summary);
    } catch (error) {
      // Outside the attempt's transaction, which has rolled back: the failure must survive it.
      await repo.markInbound(this.db, accountId, inboundId, {
        status: 'failed',
        lastError: errorText(error),
        attempts,
        summary,
      });
      throw error;
    }
  }

  private async readRaw(fileKey: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.files.read(fileKey)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Why this message must not become a ticket, or undefined. */
  private async ignoredReason(
    accountId: string,
    stored: repo.InboundEmailRow,
    mail: InboundMail,
  ): Promise<string | undefined> {
    const automated = automatedReason(mail.parsed, mail.fromAddress);
    if (automated) return automated;
    // RFC 5321 §4.5.5: a null reverse-path (MAIL FROM:<>) is a bounce or an auto-reply (RFC 3834),
    // even when the auto-responder forgot Auto-Submitted. A webhook has no envelope to judge.
    if (stored.source === 'smtp' && !stored.mail_from) return NULL_SENDER_REASON;
    if (!mail.fromAddress) return NO_SENDER_REASON;
    const from = normalizeEmail(mail.fromAddress);
    if (from.ok && (await this.ownAddresses(accountId, stored.rcpt_to)).has(from.value))
      return ownAddressReason(from.value);
    return undefined;
  }

  /**
   * Every address the account receives or sends as: mail From one of them is a loop. The
   * support addresses are the routing table's too (settings.service writes inbound_addresses
   * from them in the same transaction), so the settings alone name them.
   */
  private async ownAddresses(accountId: string, recipient: string): Promise<Set<string>> {
    const settings = await this.customers.settings(accountId);
    const candidates = [...settings.supportAddresses, outboundFromAddress(settings), recipient];
    const own = new Set<string>();
    for (const candidate of candidates) {
      const normalized = normalizeEmail(candidate);
      if (normalized.ok) own.add(normalized.value);
    }
    return own;
  }

  /**
   * The sender's customer (found or created), the ticket or the message on its thread, and the
   * message's new state: one transaction, so a failure leaves no customer without its message.
   * Concurrent mail from one new sender meets on the identity's unique key under a savepoint
   * (CustomerService.create), and the later one joins the customer the first created.
   */
  private async createTicket(
    accountId: string,
    inboundId: string,
    mail: InboundMail,
    attempts: number,
    summary: repo.InboundSummary,
  ): Promise<EmailOutcome> {
    const address = mail.fromAddress ?? '';
    // Derived from the inbound id when missing, so that two attempts at once meet on its key.
    const messageId = mail.messageId ?? `<${inboundId}@inbound.kunde>`;
    const processed = (ticketId: string) => ({
      status: 'processed' as const,
      outcome: 'ticket',
      ticketId,
      attempts,
      summary,
    });
    try {
      return await this.db.transaction().execute(async (trx): Promise<EmailOutcome> => {
        let customer;
        try {
          ({ customer } = await this.customers.findOrCreateBySender(
            systemPrincipal(accountId, 'Email'),
            { email: address, name: mail.fromName },
            'email',
            trx,
          ));
        } catch (error) {
          // Refused before anything is written: the transaction goes on to record why.
          if (!(error instanceof ValidationError)) throw error;
          const reason = badSenderReason(address, error.errors[0]?.message ?? error.message);
          await repo.markInbound(trx, accountId, inboundId, {
            status: 'ignored',
            outcome: reason,
            attempts,
            summary,
          });
          return { kind: 'ignored', reason };
        }
        const message = {
          customerId: customer.id,
          authorName:
            mail.fromName ||
            [customer.firstName, customer.lastName].filter(Boolean).join(' ') ||
            address,
          channel: 'email' as const,
          text: mail.text || '(empty message)',
          html: mail.html,
          emailMessageId: messageId,
          attachments: mail.attachments,
        };
        const thread = await this.findThread(trx, accountId, mail, customer.id);
        let ticketId: string;
        if (thread && thread.status !== 'closed') {
          await this.tickets.addCustomerMessage(trx, accountId, thread, message);
          ticketId = thread.id;
        } else {
          ticketId = (await this.tickets.openTicket(trx, accountId, mail.subject, message)).id;
        }
        await repo.markInbound(trx, accountId, inboundId, processed(ticketId));
        const created = ticketId !== thread?.id;
        return { kind: 'ticket', ticketId, customerId: customer.id, created };
      });
    } catch (error) {
      // The same message delivered twice (a retrying sender) is stored once: this attempt's
      // writes are rolled back, and the message points at the ticket the first one made.
      if (!isUniqueViolation(error)) throw error;
      const existing = await ticketRepo.findMessageByEmailId(this.db, accountId, [messageId]);
      if (!existing) throw error;
      await repo.markInbound(this.db, accountId, inboundId, processed(existing.ticket_id));
      const ticket = await ticketRepo.findTicket(this.db, accountId, existing.ticket_id);
      return {
        kind: 'ticket',
        ticketId: existing.ticket_id,
        customerId: ticket?.requester_id ?? '',
        created: false,
      };
    }
  }

  private async findThread(
    db: Kysely<Database>,
    accountId: string,
    mail: InboundMail,
    customerId: string,
  ) {
    const byReference = await ticketRepo.findMessageByEmailId(db, accountId, mail.references);
    if (byReference) return ticketRepo.findTicket(db, accountId, byReference.ticket_id);
    const number = /\[#(\d{1,12})\]/.exec(mail.subject)?.[1];
    if (number) {
      const ticket = await ticketRepo.findTicketByNumber(db, accountId, Number(number));
      if (ticket && ticket.requester_id === customerId) return ticket;
    }
    return undefined;
  }
}
