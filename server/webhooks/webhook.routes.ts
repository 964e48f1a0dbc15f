// /api/v1/webhooks: endpoints (settings.manage), their delivery log, a test event, retrying a
// failed delivery. The secret is in the answer to a create and to a rotateSecret only.
import { z } from 'zod';
import { pageSchema } from '../../common/paging.ts';
import {
  webhookDeliveryListQuerySchema,
  webhookDeliverySchema,
  webhookEndpointCreateSchema,
  webhookEndpointSchema,
  webhookEndpointUpdateSchema,
  webhookEndpointWithSecretSchema,
} from '../../common/webhook.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute, type AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';

const tags = ['Webhooks'];

/** A PATCH answers the secret only when it rotated it. */
const updatedEndpointSchema = webhookEndpointSchema
  .extend({
    secret: z.string().optional().meta({ description: 'Only when rotateSecret was sent' }),
  })
  .meta({ id: 'WebhookEndpointUpdated' });

export function webhookRoutes(services: Services): AnyRouteDef[] {
  const webhooks = services.webhooks;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/webhooks',
      summary: 'List webhook endpoints',
      tags,
      auth: 'settings.manage',
      response: {
        status: 200,
        description: 'The endpoints',
        schema: pageSchema(webhookEndpointSchema),
      },
      handler: async ({ principal }) => {
        const items = await webhooks.list(principal.accountId);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/webhooks',
      summary: 'Register a webhook endpoint',
      description:
        'Answers the signing secret, this once. The URL should be https; private and local addresses are refused unless the installation allows them (KUNDE_WEBHOOK_ALLOW_PRIVATE).',
      tags,
      auth: 'settings.manage',
      body: webhookEndpointCreateSchema,
      response: {
        status: 201,
        description: 'The endpoint with its secret',
        schema: webhookEndpointWithSecretSchema,
      },
      errors: [409],
      handler: ({ principal, body }) => webhooks.create(principal.accountId, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/webhooks/:id',
      summary: 'Get a webhook endpoint',
      tags,
      auth: 'settings.manage',
      params: idParams,
      response: { status: 200, description: 'The endpoint', schema: webhookEndpointSchema },
      errors: [404],
      handler: ({ principal, params }) => webhooks.get(principal.accountId, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/webhooks/:id',
      summary: 'Change, deactivate or rotate the secret of a webhook endpoint',
      description:
        'With rotateSecret: true, answers the new secret, this once; the old one stops signing at once.',
      tags,
      auth: 'settings.manage',
      params: idParams,
      body: webhookEndpointUpdateSchema,
      response: { status: 200, description: 'The endpoint', schema: updatedEndpointSchema },
      errors: [404],
      handler: ({ principal, params, body }) =>
        webhooks.update(principal.accountId, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/webhooks/:id',
      summary: 'Delete a webhook endpoint and its delivery log',
      tags,
      auth: 'settings.manage',
      params: idParams,
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      handler: ({ principal, params }) => webhooks.remove(principal.accountId, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/webhooks/:id/deliveries',
      summary: 'The delivery log of a webhook endpoint, newest first',
      tags,
      auth: 'settings.manage',
      params: idParams,
      query: webhookDeliveryListQuerySchema,
      response: {
        status: 200,
        description: 'Deliveries',
        schema: pageSchema(webhookDeliverySchema),
      },
      errors: [404],
      handler: ({ principal, params, query }) =>
        webhooks.deliveries(principal.accountId, params.id, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/webhooks/:id/test',
      summary: 'Send a test event (ping) to a webhook endpoint now',
      description:
        'Answers with the delivery as it went: delivered, or failed with the response code or error. A test event is not retried.',
      tags,
      auth: 'settings.manage',
      params: idParams,
      response: { status: 200, description: 'The delivery', schema: webhookDeliverySchema },
      errors: [404, 409],
      handler: ({ principal, params }) => webhooks.sendTest(principal.accountId, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/webhook-deliveries/:id/retry',
      summary: 'Send a failed webhook delivery again, now',
      tags,
      auth: 'settings.manage',
      params: idParams,
      response: { status: 200, description: 'The delivery', schema: webhookDeliverySchema },
      errors: [404, 409],
      handler: ({ principal, params }) => webhooks.retry(principal.accountId, params.id),
    }),
  ];
}
