// Outgoing email as an administrator sees it in the outbox (GET /api/v1/outbox and the console's
// Administration → Outbox). The status stays an open string in the schema: the outbox may grow
// states the console shows verbatim; OUTBOX_STATUSES are the ones it has words for.
import { z } from 'zod';

export const OUTBOX_STATUSES = ['held', 'queued', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const outboxEmailSchema = z.object({
  id: z.string(),
  ticketId: z.string().nullable(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  status: z.string(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxEmail = z.infer<typeof outboxEmailSchema>;
