// Outgoing email as an administrator sees it in the outbox (GET /api/v1/outbox and the console's
// Administration → Outbox), and as an agent sees it on a reply (a message's delivery). The
// status stays an open string in the outbox schema: the outbox may grow states the console shows
// verbatim; OUTBOX_STATUSES are the ones it has words for.
import { z } from 'zod';

export const OUTBOX_STATUSES = ['held', 'queued', 'sent', 'failed', 'discarded'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Why mail is held rather than sent. Codes, not sentences: the console words them in the agent's
 * language. smtp_not_configured: the node that wrote it has no SMTP_URL.
 */
export const HOLD_REASONS = ['smtp_not_configured'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** What an administrator did to one email in the outbox (each is recorded with who and when). */
export const OUTBOX_ACTIONS = ['released', 'retried', 'discarded'] as const;
export type OutboxAction = (typeof OUTBOX_ACTIONS)[number];

export const outboxActionSchema = z
  .object({
    action: z.enum(OUTBOX_ACTIONS),
    userId: z.string().nullable(),
    userName: z.string(),
    at: z.string(),
  })
  .meta({ id: 'OutboxAction' });
export type OutboxActionEntry = z.infer<typeof outboxActionSchema>;

export const outboxEmailSchema = z
  .object({
    id: z.string(),
    ticketId: z.string().nullable(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    status: z.string(),
    holdReason: z
      .string()
      .nullable()
      .meta({ description: 'Why it is held (smtp_not_configured), while it is' }),
    attempts: z.number(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    actions: z
      .array(outboxActionSchema)
      .meta({ description: 'Releases, retries and discards, oldest first' }),
  })
  .meta({ id: 'OutboxEmail' });
export type OutboxEmail = z.infer<typeof outboxEmailSchema>;

export const outboxPageSchema = z
  .object({
    items: z.array(outboxEmailSchema),
    total: z.number().int(),
    sending: z.boolean().meta({
      description:
        'Whether this node sends mail (SMTP_URL is set); without it, held mail cannot be released',
    }),
  })
  .meta({ id: 'OutboxPage' });
export type OutboxPage = z.infer<typeof outboxPageSchema>;

/**
 * An emailed reply's delivery as its ticket shows it: queued (waiting or retrying; lastError says
 * why the last attempt failed), sent, failed (lastError is the reason), held (holdReason), or
 * discarded by an administrator.
 */
export const messageDeliverySchema = z
  .object({
    outboxId: z.string(),
    status: z.string(),
    holdReason: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    sentAt: z.string().nullable(),
  })
  .meta({ id: 'MessageDelivery' });
export type MessageDelivery = z.infer<typeof messageDeliverySchema>;
