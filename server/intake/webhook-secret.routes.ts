// The one route shape for creating a webhook secret: POST /api/v1/settings/<webhook>-secret, for
// each webhook Kunde receives (SMS, inbound email). The SMS and the email routes used to be two
// near copies; a new webhook now gets its secret route by naming itself here.
import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { defineRoute } from '../http/route.ts';
import { rotateWebhookSecret, type WebhookName } from './webhook-secret.ts';

const DOCS: Record<WebhookName, { summary: string; description?: string }> = {
  'sms-webhook': { summary: 'Create a new SMS webhook secret (shown once)' },
  'email-webhook': {
    summary: 'Create a new inbound email webhook secret (shown once)',
    description: 'The previous secret stops working.',
  },
};

export function webhookSecretRoute(db: Db, webhook: WebhookName) {
  return defineRoute({
    method: 'POST',
    url: `/api/v1/settings/${webhook}-secret`,
    ...DOCS[webhook],
    tags: ['Settings'],
    auth: 'settings.manage',
    response: {
      status: 201,
      description: 'The secret',
      schema: z.object({ secret: z.string() }),
    },
    handler: async ({ principal }) => ({
      secret: await rotateWebhookSecret(db.kysely, principal.accountId, webhook),
    }),
  });
}
