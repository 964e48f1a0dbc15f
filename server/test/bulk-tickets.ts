// Many closed tickets for one customer, written straight into the tables a few hundred rows per
// statement: the kill tests need a customer whose erasure or export takes seconds, which the
// ticket service (one transaction per ticket) would take minutes to create. Numbers come from the
// account's ticket counter, so tickets created later through the service do not collide.
import type { Insertable, Kysely } from 'kysely';
import { reserveNumbers } from '../db/counters.ts';
import type { Database, TicketMessageTable, TicketTable } from '../db/database.ts';
import { newId } from '../db/ids.ts';

/** Rows per INSERT: 200 rows of at most 14 columns stay under SQLite's parameter limit. */
const ROWS = 200;

export async function insertClosedTickets(
  db: Kysely<Database>,
  accountId: string,
  requester: { id: string; email: string | null },
  count: number,
  messagesPerTicket: number,
): Promise<void> {
  const at = new Date(Date.now() - 400 * 86_400_000).toISOString();
  const first = await reserveNumbers(db, accountId, 'ticket', count);
  for (let start = 0; start < count; start += 1000) {
    const tickets: Insertable<TicketTable>[] = [];
    const messages: Insertable<TicketMessageTable>[] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const id = newId();
      tickets.push({
        account_id: accountId,
        id,
        number: first + i,
        subject: `Printer ticket ${first + i}`,
        status: 'closed',
        channel: 'email',
        requester_id: requester.id,
        organization_id: null,
        assignee_id: null,
        team_id: null,
        message_count: messagesPerTicket,
        last_message_at: at,
        created_at: at,
        updated_at: at,
      });
      for (let m = 0; m < messagesPerTicket; m++)
        messages.push({
          account_id: accountId,
          id: newId(),
          ticket_id: id,
          author_type: 'customer',
          customer_id: requester.id,
          user_id: null,
          author_name: 'Printer Person',
          channel: 'email',
          body_text: `Message ${m + 1} from ${requester.email ?? 'them'}: the printer is broken again.`,
          body_html: m % 2 ? `<p>Message ${m + 1}: the printer is <b>broken</b> again.</p>` : null,
          email_message_id: null,
          internal: 0,
          hub_seen_at: null,
          created_at: at,
        });
    }
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < tickets.length; i += ROWS)
        await trx
          .insertInto('tickets')
          .values(tickets.slice(i, i + ROWS))
          .execute();
      for (let i = 0; i < messages.length; i += ROWS)
        await trx
          .insertInto('ticket_messages')
          .values(messages.slice(i, i + ROWS))
          .execute();
    });
  }
}
