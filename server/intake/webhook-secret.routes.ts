// The one route shape for creating a webhook secret: POST /api/v1/settings/<webhook>-secret, for
// each webhook Kunde receives (SMS, inbound email). The SMS and the email routes used to be two
// near copies; a new webhook now gets its secret route by naming itself here.
import { z } from 'zod';
import { webhookSecretsSchema } from '../../common/settings.ts';
import type { Db } from '../db/connect.ts';
import { defineRoute } from '../http/route.ts';
import { webhookSecretsCreatedAt } from './webhook-secret.repository.ts';
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

/** Whether each webhook has a secret and since when, for the account settings page (issue 16). */
export function webhookSecretsStatusRoute(db: Db) {
  return defineRoute({
    method: 'GET',
    url: '/api/v1/settings/webhook-secrets',
    summary: 'Which webhook secrets exist',
    description: 'When each was created; never the secret itself (it is shown once).',
    tags: ['Settings'],
    auth: 'settings.manage',
    response: { status: 200, description: 'The secrets', schema: webhookSecretsSchema },
    handler: async ({ principal }) => {
      const made = await webhookSecretsCreatedAt(db.kysely, principal.accountId, [
        'sms-webhook',
        'email-webhook',
      ]);
      const since = (name: WebhookName) => {
        const createdAt = made.get(name);
        return createdAt ? { createdAt } : null;
      };
      return { smsWebhook: since('sms-webhook'), emailWebhook: since('email-webhook') };
    },
  });
}
