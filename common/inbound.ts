// Inbound email as an administrator sees it: every message Kunde accepted (SMTP 250 or a 202 on
// the webhook) is in exactly one state, so nothing it said yes to can vanish without a trace.
import { z } from 'zod';

/** received → processed (a ticket) | ignored (with the reason) | failed (with the last error). */
export const INBOUND_STATES = ['received', 'processed', 'ignored', 'failed'] as const;
export const inboundStateSchema = z.enum(INBOUND_STATES);
export type InboundState = z.infer<typeof inboundStateSchema>;

export const inboundEmailSchema = z
  .object({
    id: z.string(),
    state: inboundStateSchema,
    source: z.enum(['smtp', 'webhook']),
    /** Why it was ignored; null otherwise. */
    reason: z.string().nullable(),
    /** The error of the last failed attempt (kept after a later success, for the record). */
    lastError: z.string().nullable(),
    attempts: z.number().int(),
    envelopeFrom: z.string().nullable().meta({
      description: 'SMTP MAIL FROM ("" is the null sender of bounces and auto-replies)',
    }),
    to: z.string(),
    from: z.string().nullable().meta({ description: 'The From header, as read' }),
    subject: z.string().nullable(),
    ticketId: z.string().nullable(),
    receivedAt: z.string(),
    updatedAt: z.string().nullable(),
    retryAt: z
      .string()
      .nullable()
      .meta({ description: 'When the next automatic attempt runs; null when none is queued' }),
  })
  .meta({ id: 'InboundEmail' });
export type InboundEmail = z.infer<typeof inboundEmailSchema>;

export const inboundEmailListQuerySchema = z.object({
  state: inboundStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type InboundEmailListQuery = z.infer<typeof inboundEmailListQuerySchema>;
