// SMS → ticket: the webhook secret names the account; the sender is found or created by E.164
// number; the message goes onto their open SMS ticket or starts one.
//
// One open SMS ticket per sender, also when a provider delivers a burst of messages at once:
// finding the open ticket and opening one run under a per-sender lock (lockOpenThread). A unique
// key on "the open SMS ticket" was the other way, but open spans two statuses agents change
// freely, and it would turn an agent reopening an older SMS ticket into a conflict; the promise
// is about where new messages go, so it is kept where they are written. What the provider sent
// is kept: characters the text policy refuses (NUL, which PostgreSQL cannot store) are removed.
import type { Kysely } from 'kysely';
import { systemPrincipal } from '../agents/principal.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Database } from '../db/database.ts';
import { cleanText } from '../../common/text.ts';
import * as ticketRepo from '../tickets/ticket.repository.ts';
import type { TicketService } from '../tickets/ticket.service.ts';
import { accountForWebhookSecret, rotateWebhookSecret } from './webhook-secret.ts';

export class SmsIntake {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly customers: CustomerService,
    private readonly tickets: TicketService,
  ) {}

  /** A new webhook secret for the account (the old one stops working); shown once. */
  rotateSecret(accountId: string): Promise<string> {
    return rotateWebhookSecret(this.db, accountId, 'sms-webhook');
  }

  /** The account a webhook secret belongs to, or a 401. */
  accountForSecret(secret: string | undefined): Promise<string> {
    return accountForWebhookSecret(this.db, 'sms-webhook', secret);
  }

  /**
   * One text message in, in one transaction: the sender's customer (found or created), then the
   * message on their open SMS ticket or a new one. A concurrent first text from the same new
   * number meets this one on the identity's unique key (under a savepoint, see
   * CustomerService.create) and joins the same customer; the thread lock makes them one ticket.
   */
  async receive(accountId: string, sms: { from: string; to?: string; body: string }) {
    const principal = systemPrincipal(accountId, 'SMS');
    const from = cleanText(sms.from).trim();
    const text = cleanText(sms.body).trim() || '(empty message)';
    return this.db.transaction().execute(async (trx) => {
      const { customer, created } = await this.customers.findOrCreateBySender(
        principal,
        { phone: from },
        'sms',
        trx,
      );
      const message = {
        customerId: customer.id,
        authorName:
          [customer.firstName, customer.lastName].filter(Boolean).join(' ') ||
          customer.phone ||
          from,
        channel: 'sms' as const,
        text,
      };
      await ticketRepo.lockOpenThread(trx, accountId, customer.id, 'sms');
      const open = await ticketRepo.findOpenTicketFor(trx, accountId, customer.id, 'sms');
      const ticket = open
        ? { id: open.id, number: Number(open.number), created: false }
        : await this.tickets
            .openTicket(trx, accountId, text.split('\n')[0]?.slice(0, 80) ?? 'SMS', message)
            .then((row) => ({ id: row.id, number: Number(row.number), created: true }));
      if (open) await this.tickets.addCustomerMessage(trx, accountId, open, message);
      return {
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        ticketCreated: ticket.created,
        customerId: customer.id,
        customerCreated: created,
      };
    });
  }
}
