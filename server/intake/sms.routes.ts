// Inbound SMS over HTTP: the webhook an SMS provider posts each message to (authenticated by the
// account's SMS webhook secret, never by an agent's session) and the route creating that secret.
// Inbound email has the same pair in inbound.routes.ts.
import { z } from 'zod';
import { smsInboundSchema } from '../../common/ticket.ts';
import { defineRoute } from '../http/route.ts';
import type { Services } from '../services.ts';
import { WEBHOOK_SECRET_HEADER } from './webhook-secret.ts';
import { webhookSecretRoute, webhookSecretsStatusRoute } from './webhook-secret.routes.ts';

export function smsRoutes(services: Services) {
  const { smsIntake } = services;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/inbound/sms',
      summary: 'Receive an SMS from a provider',
      description:
        'Authenticated by the account’s SMS webhook secret (Bearer or X-Kunde-Webhook-Secret). Appends to the sender’s open SMS ticket or opens one.',
      tags: ['Inbound'],
      auth: 'public',
      ownCredentials: true,
      bodyText: 'clean',
      body: smsInboundSchema,
      response: {
        status: 201,
        description: 'Received',
        schema: z.object({
          ticketId: z.string(),
          ticketNumber: z.number(),
          ticketCreated: z.boolean(),
          customerId: z.string(),
          customerCreated: z.boolean(),
        }),
      },
      errors: [401],
      handler: async ({ request, body }) => {
        const header = request.headers[WEBHOOK_SECRET_HEADER];
        const accountId = await smsIntake.accountForSecret(
          typeof header === 'string' ? header : request.headers.authorization,
        );
        return smsIntake.receive(accountId, body);
      },
    }),
    webhookSecretRoute(services.db, 'sms-webhook'),
    webhookSecretsStatusRoute(services.db),
  ];
}
