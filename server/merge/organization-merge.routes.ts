// POST /api/v1/organizations/{id}/merge (?dryRun=true: the preview), POST
// /api/v1/organization-merges/{id}/undo, GET /api/v1/organizations/{id}/merges (the undo
// banner). Thin: the rules are in organization-merge.service.ts. Registered in http/app.ts.
import { z } from 'zod';
import {
  mergeDryRunQuerySchema,
  mergeRecordSchema,
  organizationMergePreviewSchema,
  organizationMergeRequestSchema,
  organizationMergeResultSchema,
  organizationMergeUndoResultSchema,
} from '../../common/merge.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute, type AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';
import { OrganizationMergeService } from './organization-merge.service.ts';

export function organizationMergeRoutes(services: Services): AnyRouteDef[] {
  // Built here rather than in services.ts: nothing else calls it.
  const merges = new OrganizationMergeService(services.db.kysely, services.customers);
  const tags = ['Organizations'];
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/organizations/:id/merge',
      summary: 'Merge another organization into this one',
      description:
        'The organization in the path survives; `duplicateId` is merged into it in one ' +
        'transaction: its domains, customers (contacts), tickets, locations and areas, ' +
        'contracts with their time, routing rules, notification groups, team access and ' +
        'Customer Hub grants move over; name, notes and custom fields as `keep` says. The ' +
        'duplicate then answers GET with `mergedInto` and takes no writes. With ' +
        '`?dryRun=true` the answer is the preview (OrganizationMergePreview) and nothing ' +
        'changes. Needs Delete Customers and, for an agent whose teams do not serve both ' +
        'organizations whole, scope.all. 422 merge_with_itself, 409 organization_merged.',
      tags,
      auth: 'customers.delete',
      params: idParams,
      query: mergeDryRunQuerySchema,
      body: organizationMergeRequestSchema,
      response: {
        status: 200,
        description: 'The merge, or with dryRun its preview',
        schema: z.union([organizationMergeResultSchema, organizationMergePreviewSchema]),
      },
      errors: [403, 404, 409, 422],
      handler: ({ principal, params, query, body }) =>
        merges.merge(principal, params.id, body, query.dryRun),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/organization-merges/:id/undo',
      summary: 'Undo an organization merge',
      description:
        'Within the account’s mergeUndoDays: the duplicate is an organization again with ' +
        'everything the merge moved, and the survivor has its name, notes and custom fields ' +
        'back. 409 merge_undo_expired, merge_undone, merge_erased, or merge_changed_since ' +
        'naming what changed since (then nothing is undone).',
      tags,
      auth: 'customers.delete',
      params: idParams,
      response: {
        status: 200,
        description: 'Undone',
        schema: organizationMergeUndoResultSchema,
      },
      errors: [403, 404, 409],
      handler: ({ principal, params }) => merges.undo(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/organizations/:id/merges',
      summary: 'The merges an organization took part in',
      description: 'As survivor or as duplicate, newest first, each with why undo is refused now.',
      tags,
      auth: 'customers.view',
      params: idParams,
      response: {
        status: 200,
        description: 'The merges',
        schema: z.object({ items: z.array(mergeRecordSchema) }),
      },
      errors: [404],
      handler: ({ principal, params }) => merges.listFor(principal, params.id),
    }),
  ];
}
