// Inbound email over HTTP: the webhook a mail provider posts raw messages to (authenticated by
// the account's inbound-email webhook secret, or an administrator), the secret itself, and the
// administrator's view of every received message: list by state, one, its raw file, retry.
import { fieldError } from '../../common/field-error-codes.ts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageSchema } from '../../common/paging.ts';
import { inboundEmailListQuerySchema, inboundEmailSchema } from '../../common/inbound.ts';
import { requirePermission, type Principal } from '../agents/principal.ts';
import { idParams } from '../http/common-schemas.ts';
import { UnauthenticatedError, ValidationError } from '../errors.ts';
import { defineRoute } from '../http/route.ts';
import type { Services } from '../services.ts';
import { accountForWebhookSecret, WEBHOOK_SECRET_HEADER } from './webhook-secret.ts';
import { webhookSecretRoute } from './webhook-secret.routes.ts';

function rawBody(request: FastifyRequest): Buffer {
  if (Buffer.isBuffer(request.body)) return request.body;
  if (typeof request.body === 'string') return Buffer.from(request.body);
  throw new ValidationError([
    fieldError('(body)', 'wrong_media_type', 'send the raw message as message/rfc822'),
  ]);
}

export function inboundRoutes(services: Services) {
  const intake = services.emailIntake;
  const admin = services.inboundEmails;
  const tags = ['Inbound'];

  /**
   * Whose mail this is. Posting raw mail puts words in any sender's mouth, so only the provider
   * (holding the webhook secret) or an administrator may; an agent gets 403.
   */
  async function accountForPoster(request: FastifyRequest, principal: Principal | undefined) {
    const secret = request.headers[WEBHOOK_SECRET_HEADER];
    if (typeof secret === 'string')
      return accountForWebhookSecret(services.db.kysely, 'email-webhook', secret);
    if (!principal)
      throw new UnauthenticatedError(
        'Send the account’s inbound email webhook secret as X-Kunde-Webhook-Secret, or sign in as an administrator',
      );
    requirePermission(principal, 'settings.manage');
    return principal.accountId;
  }

  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/inbound/email',
      summary: 'Receive an email posted by a mail provider',
      description:
        'The raw RFC 822 message as the body (message/rfc822). Authenticated by the account’s inbound email webhook secret in X-Kunde-Webhook-Secret (POST /api/v1/settings/email-webhook-secret), or by an administrator (manage settings). Once stored the message is kept: a processing failure answers 202 with outcome "failed" and is retried.',
      tags,
      auth: 'public',
      headers: [
        { name: 'X-Kunde-Webhook-Secret', description: 'The inbound email webhook secret' },
      ],
      query: z.object({ to: z.string().max(254).optional() }),
      response: {
        status: 202,
        description: 'Stored, and processed or queued for another attempt',
        schema: z.object({
          inboundId: z.string(),
          state: z.string(),
          outcome: z.string(),
          ticketId: z.string().nullable(),
        }),
      },
      errors: [401, 403, 422],
      handler: async ({ principal, request, query }) => {
        const accountId = await accountForPoster(request, principal);
        const raw = rawBody(request);
        if (raw.length === 0)
          throw new ValidationError([fieldError('(body)', 'file_empty', 'the message is empty')]);
        const inboundId = await intake.store(accountId, raw, {
          to: query.to ?? '(webhook)',
          source: 'webhook',
        });
        try {
          const outcome = await intake.processStored(accountId, inboundId);
          if (outcome?.kind === 'ticket')
            return { inboundId, state: 'processed', outcome: 'ticket', ticketId: outcome.ticketId };
          return {
            inboundId,
            state: 'ignored',
            outcome: `ignored: ${outcome?.reason ?? ''}`,
            ticketId: null,
          };
        } catch (error) {
          request.log.warn({ err: error, inboundId }, 'inbound email will be retried');
          return { inboundId, state: 'failed', outcome: 'failed: will be retried', ticketId: null };
        }
      },
    }),
    webhookSecretRoute(services.db, 'email-webhook'),
    defineRoute({
      method: 'GET',
      url: '/api/v1/inbound/emails',
      summary: 'Received email by state, newest first',
      description:
        'Every message Kunde accepted: processed (a ticket), ignored (with the reason) or failed (with the last error and when it is retried).',
      tags,
      auth: 'settings.manage',
      query: inboundEmailListQuerySchema,
      response: {
        status: 200,
        description: 'Inbound email',
        schema: pageSchema(inboundEmailSchema),
      },
      handler: ({ principal, query }) => admin.list(principal.accountId, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/inbound/emails/:id',
      summary: 'One received email',
      tags,
      auth: 'settings.manage',
      params: idParams,
      response: { status: 200, description: 'The email', schema: inboundEmailSchema },
      errors: [404],
      handler: ({ principal, params }) => admin.get(principal.accountId, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/inbound/emails/:id/raw',
      summary: 'Download the raw message as received',
      tags,
      auth: 'settings.manage',
      params: idParams,
      response: {
        status: 200,
        description: 'The .eml file',
        contentType: 'message/rfc822',
        schema: z.string(),
      },
      errors: [404],
      handler: async ({ principal, params, reply }) => {
        const file = await admin.rawFile(principal.accountId, params.id);
        return reply
          .type('message/rfc822')
          .header('Content-Disposition', `attachment; filename="${params.id}.eml"`)
          .send(file);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/inbound/emails/:id/retry',
      summary: 'Process a failed email again',
      description: 'Queues an attempt now; the state shows the outcome.',
      tags,
      auth: 'settings.manage',
      params: idParams,
      response: { status: 202, description: 'Queued', schema: inboundEmailSchema },
      errors: [404, 409],
      handler: ({ principal, params }) => admin.retry(principal.accountId, params.id),
    }),
  ];
}
