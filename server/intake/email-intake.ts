// Email → ticket: parse the message, drop automated mail (auto-replies, bounces, lists), find or
// create the sender, thread onto a ticket by In-Reply-To/References or the [#number] in the
// subject, keep the text, sanitized HTML and attachments. Raw mail is stored before anything else.
import { simpleParser, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import { systemPrincipal } from '../agents/principal.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { FileStore } from '../files/file-store.ts';
import { isUniqueViolation, ValidationError } from '../http/errors.ts';
import { enqueueJob } from '../jobs/queue.ts';
import * as ticketRepo from '../tickets/ticket.repository.ts';
import type { TicketService } from '../tickets/ticket.service.ts';
import type { Kysely } from 'kysely';

export const PROCESS_EMAIL_JOB = 'process-inbound-email';
export const MAX_EMAIL_BYTES = 25 * 1024 * 1024;

export type EmailOutcome =
  | { kind: 'ticket'; ticketId: string; customerId: string; created: boolean }
  | { kind: 'ignored'; reason: string };

/** Auto-replies, bounces and list mail never create customers or tickets. */
export function automatedReason(
  mail: ParsedMail,
  fromAddress: string | undefined,
): string | undefined {
  const header = (name: string) => {
    const value = mail.headers.get(name);
    return typeof value === 'string'
      ? value.toLowerCase()
      : value
        ? JSON.stringify(value).toLowerCase()
        : undefined;
  };
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = header('precedence');
  if (precedence && /bulk|junk|list|auto_reply/.test(precedence))
    return `Precedence: ${precedence}`;
  if (header('x-autoreply') || header('x-autorespond')) return 'auto-reply header';
  if (header('list-id') || header('list-unsubscribe')) return 'mailing list';
  if (header('x-kunde-outbox')) return 'our own outgoing mail';
  const local = (fromAddress ?? '').split('@')[0]?.toLowerCase() ?? '';
  if (/^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)$/.test(local))
    return `sender ${fromAddress ?? ''}`;
  const contentType = header('content-type');
  if (contentType?.includes('multipart/report')) return 'delivery report';
  return undefined;
}

function cleanId(id: string | undefined): string | undefined {
  const trimmed = id?.trim();
  return trimmed ? (trimmed.startsWith('<') ? trimmed : `<${trimmed}>`) : undefined;
}

function referencesOf(mail: ParsedMail): string[] {
  const refs = Array.isArray(mail.references)
    ? mail.references
    : mail.references
      ? mail.references.split(/\s+/)
      : [];
  const inReplyTo = mail.inReplyTo ? [mail.inReplyTo] : [];
  return [...inReplyTo, ...refs.reverse()]
    .map((r) => cleanId(r))
    .filter((r): r is string => Boolean(r));
}

export class EmailIntake {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly files: FileStore,
    private readonly customers: CustomerService,
    private readonly tickets: TicketService,
  ) {}

  /** Stores the raw message for an account and returns its inbound id (before saying 250). */
  async store(
    accountId: string,
    raw: Buffer,
    envelope: { from?: string; to: string },
  ): Promise<string> {
    const id = newId();
    const fileKey = `inbound/${accountId}/${id}.eml`;
    await this.files.write(fileKey, (await import('node:stream')).Readable.from([raw]));
    await this.db
      .insertInto('inbound_emails')
      .values({
        account_id: accountId,
        id,
        file_key: fileKey,
        mail_from: envelope.from ?? null,
        rcpt_to: envelope.to,
        status: 'received',
        outcome: null,
        ticket_id: null,
        received_at: nowIso(),
      })
      .execute();
    return id;
  }

  /** Processes a stored message; on failure it is queued to try again, never dropped. */
  async processStored(accountId: string, inboundId: string): Promise<EmailOutcome | undefined> {
    try {
      return await this.process(accountId, inboundId);
    } catch (error) {
      await enqueueJob(
        this.db,
        accountId,
        PROCESS_EMAIL_JOB,
        { inboundId },
        { maxAttempts: 10, runAt: new Date(Date.now() + 5000) },
      );
      throw error;
    }
  }

  async process(accountId: string, inboundId: string): Promise<EmailOutcome> {
    const stored = await this.db
      .selectFrom('inbound_emails')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', inboundId)
      .executeTakeFirstOrThrow();
    if (stored.status === 'processed' || stored.status === 'ignored') {
      return stored.ticket_id
        ? { kind: 'ticket', ticketId: stored.ticket_id, customerId: '', created: false }
        : { kind: 'ignored', reason: stored.outcome ?? '' };
    }
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.files
        .read(stored.file_key)
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => resolve(Buffer.concat(chunks)))
        .on('error', reject);
    });
    const outcome = await this.handle(accountId, await simpleParser(raw));
    await this.db
      .updateTable('inbound_emails')
      .set({
        status: outcome.kind === 'ticket' ? 'processed' : 'ignored',
        outcome: outcome.kind === 'ignored' ? outcome.reason : 'ticket',
        ticket_id: outcome.kind === 'ticket' ? outcome.ticketId : null,
      })
      .where('account_id', '=', accountId)
      .where('id', '=', inboundId)
      .execute();
    return outcome;
  }

  private async handle(accountId: string, mail: ParsedMail): Promise<EmailOutcome> {
    const from = mail.from?.value[0];
    const address = from?.address;
    const automated = automatedReason(mail, address);
    if (automated) return { kind: 'ignored', reason: automated };
    if (!address) return { kind: 'ignored', reason: 'no sender address' };
    const principal = systemPrincipal(accountId, 'Email');
    let sender;
    try {
      sender = await this.customers.findOrCreateBySender(
        principal,
        { email: address, name: from.name },
        'email',
      );
    } catch (error) {
      if (error instanceof ValidationError)
        return { kind: 'ignored', reason: `sender ${address}: ${error.message}` };
      throw error;
    }
    const { customer } = sender;
    const messageId = cleanId(mail.messageId) ?? `<${newId()}@inbound.kunde>`;
    const text = (
      mail.text ??
      (mail.html ? sanitizeHtml(mail.html, { allowedTags: [], allowedAttributes: {} }) : '')
    ).trim();
    const html = mail.html ? sanitizeHtml(mail.html) : null;
    const message = {
      customerId: customer.id,
      authorName:
        from.name || [customer.firstName, customer.lastName].filter(Boolean).join(' ') || address,
      channel: 'email' as const,
      text: text || '(empty message)',
      html,
      emailMessageId: messageId,
      attachments: mail.attachments.map((a) => ({
        filename: a.filename ?? 'attachment',
        contentType: a.contentType,
        content: a.content,
      })),
    };
    try {
      return await this.db.transaction().execute(async (trx) => {
        const ticket = await this.findThread(trx, accountId, mail, customer.id);
        if (ticket && ticket.status !== 'closed') {
          await this.tickets.addCustomerMessage(trx, accountId, ticket, message);
          return {
            kind: 'ticket' as const,
            ticketId: ticket.id,
            customerId: customer.id,
            created: false,
          };
        }
        const created = await this.tickets.openTicket(
          trx,
          accountId,
          (mail.subject ?? '').trim(),
          message,
        );
        return {
          kind: 'ticket' as const,
          ticketId: created.id,
          customerId: customer.id,
          created: true,
        };
      });
    } catch (error) {
      // The same message delivered twice (a retrying sender) is stored once.
      if (isUniqueViolation(error)) {
        const existing = await ticketRepo.findMessageByEmailId(this.db, accountId, [messageId]);
        if (existing)
          return {
            kind: 'ticket',
            ticketId: existing.ticket_id,
            customerId: customer.id,
            created: false,
          };
      }
      throw error;
    }
  }

  private async findThread(
    db: Kysely<Database>,
    accountId: string,
    mail: ParsedMail,
    customerId: string,
  ) {
    const byReference = await ticketRepo.findMessageByEmailId(db, accountId, referencesOf(mail));
    if (byReference) return ticketRepo.findTicket(db, accountId, byReference.ticket_id);
    const number = /\[#(\d{1,12})\]/.exec(mail.subject ?? '')?.[1];
    if (number) {
      const ticket = await ticketRepo.findTicketByNumber(db, accountId, Number(number));
      if (ticket && ticket.requester_id === customerId) return ticket;
    }
    return undefined;
  }
}
