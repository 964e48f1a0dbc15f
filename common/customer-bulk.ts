// Bulk actions on customers (issue 16): the request (these customers by id, or every customer
// matching the list's own filter) and the answer, which names each customer changed and what
// it was before, so the console's Undo puts back exactly that and nothing else.
import { z } from 'zod';
import { csvFormatQuerySchema } from './csv-format.ts';
import { customerListQuerySchema, customerStatusSchema } from './customer.ts';

/** At most this many customers in one request, by ids or matching a filter. */
export const BULK_LIMIT = 5000;

export const CUSTOMER_BULK_ACTIONS = ['deactivate', 'reactivate', 'move'] as const;
export type CustomerBulkAction = (typeof CUSTOMER_BULK_ACTIONS)[number];

/** The list's filter, as GET /api/v1/customers takes it: "all matching" is the list's set. */
export const customerBulkFilterSchema = customerListQuerySchema
  .pick({ q: true, status: true, organizationId: true, typeId: true })
  .meta({ id: 'CustomerListFilter' });
export type CustomerBulkFilter = z.infer<typeof customerBulkFilterSchema>;

export const customerBulkSchema = z
  .object({
    action: z.enum(CUSTOMER_BULK_ACTIONS),
    organizationId: z
      .union([z.literal('none'), z.string().uuid('not an organization id')])
      .optional()
      .meta({ description: 'For `move`: the organization to move to, or `none`' }),
    customerIds: z
      .array(z.string().max(100))
      .min(1)
      .max(BULK_LIMIT)
      .optional()
      .meta({ description: 'These customers; or send `filter` instead' }),
    filter: customerBulkFilterSchema.optional().meta({
      description: 'Every customer the list shows with this filter (at most 5,000)',
    }),
  })
  .meta({ id: 'CustomerBulkAction' });
export type CustomerBulk = z.infer<typeof customerBulkSchema>;

export const customerBulkResultSchema = z
  .object({
    action: z.enum(CUSTOMER_BULK_ACTIONS),
    matched: z.number().int().meta({ description: 'Customers the ids or the filter named' }),
    changed: z
      .array(
        z.object({
          id: z.string(),
          status: customerStatusSchema.meta({ description: 'The status it had before' }),
          organizationId: z
            .string()
            .nullable()
            .meta({ description: 'The organization it was in before' }),
        }),
      )
      .meta({ description: 'Each customer this changed, as it was before: what Undo puts back' }),
  })
  .meta({ id: 'CustomerBulkResult' });
export type CustomerBulkResult = z.infer<typeof customerBulkResultSchema>;

/** POST /api/v1/customers/export.csv: these customers as CSV, in the list export's layout. */
export const customerExportSelectionSchema = csvFormatQuerySchema
  .extend({
    customerIds: z
      .array(z.string().max(100))
      .min(1)
      .max(BULK_LIMIT)
      .meta({ description: 'The customers to export (the selection); others are left out' }),
  })
  .strict()
  .meta({ id: 'CustomerExportSelection' });
export type CustomerExportSelection = z.infer<typeof customerExportSelectionSchema>;
