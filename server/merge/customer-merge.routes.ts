// POST /api/v1/customers/{id}/merge (?dryRun=true for the preview), the merge records
// (GET /api/v1/customer-merges/{id}, GET /api/v1/customers/{id}/merges) and
// POST /api/v1/customer-merges/{id}/undo. Merging and undoing take a customer out of the lists
// or back, as deactivating does: they need customers.delete.
import { z } from 'zod';
import {
  customerMergePreviewSchema,
  customerMergeRequestSchema,
  customerMergeResultSchema,
  customerMergeUndoResultSchema,
  mergeDryRunQuerySchema,
  mergeRecordSchema,
} from '../../common/merge.ts';
import { pageQuerySchema } from '../../common/paging.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute, type AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';
import { CustomerMergeService } from './customer-merge.service.ts';
import { CustomerMergeUndo } from './customer-merge-undo.ts';

export function customerMergeRoutes(services: Services): AnyRouteDef[] {
  const merges = new CustomerMergeService(services.db.kysely);
  const undo = new CustomerMergeUndo(services.db.kysely);
  const tags = ['Customers'];
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/:id/merge',
      summary: 'Merge a duplicate into this customer',
      description:
        'The customer in the URL survives; `duplicateId` is merged into it in one transaction: ' +
        'its tickets, messages, email addresses and phones, audit trail, Hub sign-in and grants, ' +
        'contracts and group memberships move, and its id answers from then on with status ' +
        '`merged` and `mergedInto`. `?dryRun=true` answers with the preview (the same merge, ' +
        'rolled back) and changes nothing. Undo with POST /api/v1/customer-merges/{id}/undo ' +
        'within the account’s mergeUndoDays. No mail is sent to the customer.',
      tags,
      auth: 'customers.delete',
      params: idParams,
      query: mergeDryRunQuerySchema,
      body: customerMergeRequestSchema,
      response: {
        status: 200,
        description: 'CustomerMergeResult, or with dryRun CustomerMergePreview',
        schema: z.union([customerMergeResultSchema, customerMergePreviewSchema]),
      },
      errors: [404, 409, 422],
      handler: ({ principal, params, query, body }) =>
        query.dryRun
          ? merges.merge(principal, params.id, body, true)
          : merges.merge(principal, params.id, body, false),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/:id/merges',
      summary: 'The merges into a customer',
      description: 'Newest first, each with `undoBlockedBy` (null while it can be undone).',
      tags,
      auth: 'customers.view',
      params: idParams,
      query: pageQuerySchema.pick({ limit: true }),
      response: {
        status: 200,
        description: 'The merges into the customer',
        schema: z.object({ items: z.array(mergeRecordSchema), total: z.number().int() }),
      },
      errors: [404],
      handler: ({ principal, params, query }) => undo.mergesInto(principal, params.id, query.limit),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customer-merges/:id',
      summary: 'A customer merge',
      tags,
      auth: 'customers.view',
      params: idParams,
      response: { status: 200, description: 'The merge', schema: mergeRecordSchema },
      errors: [404],
      handler: ({ principal, params }) => undo.get(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customer-merges/:id/undo',
      summary: 'Undo a customer merge',
      description:
        'Restores both customers as they were, with the tickets, messages, identities, audit ' +
        'entries and Hub rows that moved (tickets the survivor got since stay with it). 409 ' +
        'with a code when it cannot: merge_undo_expired, merge_already_undone, ' +
        'merge_customer_erased, merge_changed_since (the fields and identities changed since).',
      tags,
      auth: 'customers.delete',
      params: idParams,
      response: {
        status: 200,
        description: 'Both customers after the undo',
        schema: customerMergeUndoResultSchema,
      },
      errors: [404, 409],
      handler: ({ principal, params }) => undo.undo(principal, params.id),
    }),
  ];
}
