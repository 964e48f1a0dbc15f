// SMS → ticket: the webhook secret names the account; the sender is found or created by E.164
// number; the message goes onto their open SMS ticket or starts one.
import type { Kysely } from 'kysely';
import { systemPrincipal } from '../agents/principal.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Database } from '../db/database.ts';
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
    const { customer, created } = await this.customers.findOrCreateBySender(
      principal,
      { phone: sms.from },
      'sms',
    );
    const text = sms.body.trim() || '(empty message)';
    const message = {
      customerId: customer.id,
      authorName:
        [customer.firstName, customer.lastName].filter(Boolean).join(' ') ||
        customer.phone ||
        sms.from,
      channel: 'sms' as const,
      text,
    };
    const ticket = await this.db.transaction().execute(async (trx) => {
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
