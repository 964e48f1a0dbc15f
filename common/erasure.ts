// Erasure of a customer (issue 11): the dry run, the refusal reasons, the job a request queues,
// the Deleted Customers log and the retention purge preview, as the API documents them and the
// console reads them.
import { z } from 'zod';
import { pageQuerySchema } from './paging.ts';

export const ERASURE_REASONS = ['agent_request', 'retention_policy'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

/** How many unresolved ticket numbers a refusal lists (the count says how many there are). */
export const LISTED_TICKETS = 50;

export const erasureRefusalSchema = z.discriminatedUnion('code', [
  z.object({
    code: z.literal('unresolved_tickets'),
    message: z.string(),
    count: z.number().int(),
    tickets: z.array(z.number().int()).meta({
      description: `The unresolved (open, pending, error) tickets' numbers, at most ${LISTED_TICKETS}`,
    }),
  }),
  z.object({
    code: z.literal('within_retention'),
    message: z.string(),
    possibleFrom: z.string().meta({
      description: 'The first instant erasure is possible: local midnight in the account time zone',
    }),
    possibleFromDate: z.string().meta({ description: 'That day in the account time zone' }),
    timeZone: z.string(),
  }),
]);
export type ErasureRefusal = z.infer<typeof erasureRefusalSchema>;

export const erasureCountsSchema = z.object({
  tickets: z.number().int(),
  messages: z.number().int(),
  files: z.number().int().meta({ description: 'Attachments and raw mail files' }),
  archives: z.number().int().meta({ description: 'Export archives' }),
  auditEntries: z.number().int(),
});
export type ErasureCounts = z.infer<typeof erasureCountsSchema>;

export const erasureDryRunSchema = z
  .object({
    allowed: z.boolean(),
    reasons: z.array(erasureRefusalSchema),
    counts: erasureCountsSchema,
    contracts: z
      .array(z.object({ id: z.string(), description: z.string(), organizationId: z.string() }))
      .meta({
        description:
          'Contracts naming them as customer contact: these stay, with their hours, and need a new customer contact',
      }),
  })
  .meta({ id: 'ErasureDryRun' });
export type ErasureDryRun = z.infer<typeof erasureDryRunSchema>;

export const erasureJobSchema = z
  .object({
    jobId: z.string(),
    customerId: z.string(),
    customerNumber: z.number().int(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
  })
  .meta({ id: 'ErasureJob' });
export type ErasureJob = z.infer<typeof erasureJobSchema>;

export const deletedCustomerSchema = z
  .object({
    id: z.string(),
    customerNumber: z.number().int(),
    email: z.string().nullable().meta({ description: 'Redacted: j***n@e***e.com' }),
    phone: z.string().nullable().meta({ description: 'Redacted: the last three digits' }),
    reason: z.enum(ERASURE_REASONS),
    deletedBy: z.object({ type: z.string(), id: z.string().nullable(), name: z.string() }),
    requestedAt: z.string(),
    deletedAt: z.string(),
  })
  .meta({ id: 'DeletedCustomer' });
export type DeletedCustomer = z.infer<typeof deletedCustomerSchema>;

export const deletedCustomerQuerySchema = pageQuerySchema;

export const retentionPreviewSchema = z
  .object({
    customerRetentionDays: z.number().int(),
    timeZone: z.string(),
    enabled: z.boolean(),
    count: z.number().int().meta({ description: 'Customers the next purge would erase' }),
    capped: z.boolean().meta({ description: 'True when counting stopped at the cap' }),
    cutoff: z.string().nullable().meta({
      description: 'Customers whose last activity is before this instant are past retention',
    }),
  })
  .meta({ id: 'RetentionPreview' });
export type RetentionPreview = z.infer<typeof retentionPreviewSchema>;
