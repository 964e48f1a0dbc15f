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

  async receive(accountId: string, sms: { from: string; to?: string; body: string }) {
    const principal = systemPrincipal(accountId, 'SMS');
    const from = cleanText(sms.from).trim();
    const { customer, created } = await this.customers.findOrCreateBySender(
      principal,
      { phone: from },
      'sms',
    );
    const text = cleanText(sms.body).trim() || '(empty message)';
    const message = {
      customerId: customer.id,
      authorName:
        [customer.firstName, customer.lastName].filter(Boolean).join(' ') || customer.phone || from,
      channel: 'sms' as const,
      text,
    };
    const ticket = await this.db.transaction().execute(async (trx) => {
      await ticketRepo.lockOpenThread(trx, accountId, customer.id, 'sms');
      const open = await ticketRepo.findOpenTicketFor(trx, accountId, customer.id, 'sms');
      if (open) {
        await this.tickets.addCustomerMessage(trx, accountId, open, message);
        return { id: open.id, number: Number(open.number), created: false };
      }
      const row = await this.tickets.openTicket(
        trx,
        accountId,
        text.split('\n')[0]?.slice(0, 80) ?? 'SMS',
        message,
      );
      return { id: row.id, number: Number(row.number), created: true };
    });
    return {
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      ticketCreated: ticket.created,
      customerId: customer.id,
      customerCreated: created,
    };
  }
}
