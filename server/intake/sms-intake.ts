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
import { hashSecret, newSecret, formatToken, parseToken } from '../agents/secrets.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { cleanText } from '../../common/text.ts';
import { AppError } from '../http/errors.ts';
import * as ticketRepo from '../tickets/ticket.repository.ts';
import type { TicketService } from '../tickets/ticket.service.ts';

const SMS_SECRET_NAME = 'sms-webhook';
const SMS_SECRET_OWNER = 'sms-webhook';

export class SmsIntake {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly customers: CustomerService,
    private readonly tickets: TicketService,
  ) {}

  /** A new webhook secret for the account (the old one stops working); shown once. */
  async rotateSecret(accountId: string): Promise<string> {
    const secret = newSecret();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('api_tokens')
        .where('account_id', '=', accountId)
        .where('user_id', '=', SMS_SECRET_OWNER)
        .execute();
      await trx
        .insertInto('api_tokens')
        .values({
          account_id: accountId,
          id: newId(),
          user_id: SMS_SECRET_OWNER,
          name: SMS_SECRET_NAME,
          token_hash: hashSecret(secret),
          created_at: nowIso(),
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
    });
    return formatToken(accountId, secret);
  }

  /** The account a webhook secret belongs to, or a 401. */
  async accountForSecret(secret: string | undefined): Promise<string> {
    const parsed = secret ? parseToken(secret.replace(/^Bearer\s+/i, '').trim()) : undefined;
    const found = parsed
      ? await this.db
          .selectFrom('api_tokens')
          .select('account_id')
          .where('account_id', '=', parsed.accountId)
          .where('user_id', '=', SMS_SECRET_OWNER)
          .where('token_hash', '=', hashSecret(parsed.secret))
          .where('revoked_at', 'is', null)
          .executeTakeFirst()
      : undefined;
    if (!found)
      throw new AppError(
        401,
        'invalid_webhook_secret',
        'Invalid webhook secret',
        'Send the account’s SMS webhook secret as a Bearer token or X-Kunde-Webhook-Secret',
      );
    return found.account_id;
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
