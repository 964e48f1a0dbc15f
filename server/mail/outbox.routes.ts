// /api/v1/outbox: the last emails Kunde sent or holds, for an administrator checking that mail
// leaves (held means no SMTP_URL was configured when it was written), and the three actions on
// one email: release (held), retry (failed), discard (held, failed or still queued).
import { outboxEmailSchema, outboxPageSchema } from '../../common/outbox.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { OutboxService } from './outbox.service.ts';

const tags = ['Email'];

export function outboxRoutes(outbox: OutboxService) {
  const action = (verb: 'release' | 'retry' | 'discard', summary: string, description: string) =>
    defineRoute({
      method: 'POST',
      url: `/api/v1/outbox/:id/${verb}`,
      summary,
      description,
      tags,
      auth: 'settings.manage',
      params: idParams,
      response: {
        status: 200,
        description: 'The email after the change',
        schema: outboxEmailSchema,
      },
      errors: [404, 409],
      handler: ({ principal, params }) => outbox[verb](principal, params.id),
    });
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/outbox',
      summary: 'Outgoing email: held (no SMTP_URL), queued, sent, failed or discarded',
      tags,
      auth: 'settings.manage',
      response: { status: 200, description: 'The last 200 emails', schema: outboxPageSchema },
      handler: ({ principal }) => outbox.list(principal),
    }),
    action(
      'release',
      'Send a held email',
      'Queues held mail for sending; 409 when it is not held or this server has no SMTP_URL.',
    ),
    action(
      'retry',
      'Try a failed email again',
      'A new round of attempts; 409 when it has not failed or this server has no SMTP_URL.',
    ),
    action(
      'discard',
      'Never send an email',
      'Held, failed or queued mail is kept in the list as discarded and never sent; 409 once sent.',
    ),
  ];
}
