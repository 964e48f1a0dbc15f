// Webhooks (issue 15): an administrator registers endpoints that hear about customer,
// organization and ticket changes. Each delivery is signed and retried with backoff; the
// delivery log shows every attempt's outcome.
//
// What an endpoint receives: a POST with a JSON body `WebhookPayload` and the headers
//   Kunde-Event: customer.updated
//   Kunde-Delivery: <delivery id>          (the same on every retry of that delivery)
//   Kunde-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of `${t}.${raw body}` with the secret>
// A receiver recomputes v1 with its secret and refuses a t older than a few minutes.
import { z } from 'zod';
import { codedMessage } from './field-error-codes.ts';
import { pageQuerySchema } from './paging.ts';

export const WEBHOOK_EVENTS = [
  'customer.created',
  'customer.updated',
  'customer.deactivated',
  'customer.merged',
  'customer.erased',
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'organization.merged',
  'ticket.created',
  'ticket.updated',
] as const;
export const webhookEventSchema = z.enum(WEBHOOK_EVENTS);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export const SIGNATURE_HEADER = 'kunde-signature';
export const EVENT_HEADER = 'kunde-event';
export const DELIVERY_HEADER = 'kunde-delivery';

/** Attempts before a delivery is failed for good; the waits between them grow (backoff). */
export const MAX_WEBHOOK_ATTEMPTS = 8;
export const MAX_WEBHOOK_ENDPOINTS = 50;

const url = z
  .string()
  .trim()
  .max(2000)
  .url('not a URL')
  .refine(
    (u) => /^https?:\/\//i.test(u),
    codedMessage('not_a_url', 'not an http:// or https:// URL'),
  )
  .meta({ description: 'Where deliveries are POSTed' });

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(webhookEventSchema),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

/** Creating an endpoint or rotating its secret answers with the secret, that once. */
export const webhookEndpointWithSecretSchema = webhookEndpointSchema
  .extend({
    secret: z.string().meta({ description: 'The signing secret; shown only now' }),
  })
  .meta({ id: 'WebhookEndpointWithSecret' });

export const webhookEndpointCreateSchema = z
  .object({
    url,
    description: z.string().trim().max(200).nullish(),
    events: z.array(webhookEventSchema).min(1, 'choose at least one event').max(50),
    active: z.boolean().default(true),
  })
  .strict()
  .meta({ id: 'WebhookEndpointCreate' });
export type WebhookEndpointCreate = z.infer<typeof webhookEndpointCreateSchema>;
/** What a client sends (active may be left out). */
export type WebhookEndpointCreateInput = z.input<typeof webhookEndpointCreateSchema>;

export const webhookEndpointUpdateSchema = z
  .object({
    url,
    description: z.string().trim().max(200).nullable(),
    events: z.array(webhookEventSchema).min(1, 'choose at least one event').max(50),
    active: z.boolean(),
    rotateSecret: z.literal(true).meta({ description: 'Make a new secret (answered once)' }),
  })
  .partial()
  .strict()
  .meta({ id: 'WebhookEndpointUpdate' });
export type WebhookEndpointUpdate = z.infer<typeof webhookEndpointUpdateSchema>;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed'] as const;

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    eventId: z.string(),
    eventType: z.string().meta({ description: 'A WebhookEvent, or `ping` for a test event' }),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    error: z.string().nullable().meta({ description: 'Why the last attempt failed' }),
    durationMs: z.number().int().nullable(),
    createdAt: z.string(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryListQuerySchema = pageQuerySchema;

/** The body every delivery POSTs. `data` holds the object as the API shows it. */
export const webhookPayloadSchema = z
  .object({
    id: z.string().meta({ description: 'The event id, the same for every endpoint it goes to' }),
    type: z.string(),
    createdAt: z.string(),
    accountId: z.string(),
    data: z.record(z.string(), z.unknown()).meta({
      description:
        'customer.*: {customer}; customer.merged: {customer, mergedId}; customer.erased: ' +
        '{customerId} only; organization.*: {organization}; ticket.*: {ticket}',
    }),
  })
  .meta({ id: 'WebhookPayload' });
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
