// Erasure's routes: the dry run and the request on a customer, the Deleted Customers log, and
// the retention purge's preview for Administration. Thin: validate → authorize → service.
import {
  deletedCustomerQuerySchema,
  deletedCustomerSchema,
  erasureDryRunSchema,
  erasureJobSchema,
  retentionPreviewSchema,
} from '../../common/erasure.ts';
import { pageSchema } from '../../common/paging.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { ErasureService } from './erasure.service.ts';

export function erasureRoutes(erasure: ErasureService) {
  const tags = ['Erasure'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/:id/erasure',
      summary: 'Dry run of erasing a customer',
      description:
        'Whether the customer may be erased now, the reasons it may not (unresolved tickets, ' +
        'the retention period) and how much would be removed. Changes nothing.',
      tags,
      auth: 'customers.delete',
      params: idParams,
      response: { status: 200, description: 'The dry run', schema: erasureDryRunSchema },
      errors: [404],
      handler: ({ principal, params }) => erasure.dryRun(principal, params.id),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/customers/:id',
      summary: 'Erase a customer',
      description:
        'Erases the customer and everything Kunde holds about them (tickets they requested, ' +
        'messages, attachments, raw mail, outgoing mail, import traces, archives; mentions in ' +
        'other tickets are redacted), as a background job. Refused with 409 `erasure_refused` ' +
        'and `reasons`: `unresolved_tickets` (with `tickets`, their numbers) and ' +
        '`within_retention` (with `possibleFrom`, local midnight in the account time zone of ' +
        'the first day it is possible). The erased customer is listed in /deleted-customers.',
      tags,
      auth: 'customers.delete',
      params: idParams,
      response: { status: 202, description: 'The erasure job, queued', schema: erasureJobSchema },
      errors: [404, 409],
      handler: ({ principal, params }) => erasure.request(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/deleted-customers',
      summary: 'Deleted Customers',
      description:
        'Erased customers, newest first: who erased them, when, the reference number, the ' +
        'redacted email and phone, and why (agent_request or retention_policy).',
      tags,
      auth: 'customers.view',
      query: deletedCustomerQuerySchema,
      response: {
        status: 200,
        description: 'A page of deleted customers',
        schema: pageSchema(deletedCustomerSchema),
      },
      handler: ({ principal, query }) =>
        erasure.deletedCustomers(principal, query.limit, query.cursor),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/settings/retention-preview',
      summary: 'What the next retention purge would erase',
      description:
        'How many customers are past the retention period with no unresolved ticket: what the ' +
        'daily purge erases once it is turned on.',
      tags: ['Settings'],
      auth: 'settings.manage',
      response: { status: 200, description: 'The preview', schema: retentionPreviewSchema },
      handler: ({ principal }) => erasure.purgePreview(principal.accountId),
    }),
  ];
}
