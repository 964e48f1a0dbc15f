// /api/v1/outbox: the last emails Kunde sent or holds, for an administrator checking that mail
// leaves (held means no SMTP_URL is configured yet).
import { outboxEmailSchema, type OutboxEmail } from '../../common/outbox.ts';
import { pageSchema } from '../../common/paging.ts';
import type { Db } from '../db/connect.ts';
import { defineRoute } from '../http/route.ts';
import { listOutbox } from './outbox.ts';

/** The console shows one screen of recent mail; older mail is in the database, not lost. */
const OUTBOX_PAGE = 200;

export function outboxRoutes(db: Db) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/outbox',
      summary: 'Outgoing email: held (no SMTP_URL), queued, sent or failed',
      tags: ['Email'],
      auth: 'settings.manage',
      response: {
        status: 200,
        description: 'The last 200 emails',
        schema: pageSchema(outboxEmailSchema),
      },
      handler: async ({ principal }) => {
        const rows = await listOutbox(db.kysely, principal.accountId, OUTBOX_PAGE);
        const items = rows.map((r): OutboxEmail => ({
          id: r.id,
          ticketId: r.ticket_id,
          to: r.to_address,
          subject: r.subject,
          text: r.body_text,
          status: r.status,
          attempts: Number(r.attempts),
          lastError: r.last_error,
          createdAt: r.created_at,
          sentAt: r.sent_at,
        }));
        return { items, total: items.length };
      },
    }),
  ];
}
