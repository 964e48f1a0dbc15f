// POST /api/v1/customers/bulk (issue 16): a thin route over CustomerBulkService.
import { customerBulkResultSchema, customerBulkSchema } from '../../common/customer-bulk.ts';
import { defineRoute } from '../http/route.ts';
import type { CustomerBulkService } from './customer-bulk.service.ts';

export function customerBulkRoutes(bulk: CustomerBulkService) {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/bulk',
      summary: 'Deactivate, reactivate or move many customers',
      description:
        'Either `customerIds` or `filter` (the list filter of GET /api/v1/customers: every ' +
        'customer it shows, at most 5,000). `deactivate` and `reactivate` also need the ' +
        '`customers.delete` permission; `move` needs `organizationId` (or `none`). Customers ' +
        'the caller does not see are left out. The answer lists each customer changed with ' +
        'the status and organization it had before: send those back to undo.',
      tags: ['Customers'],
      auth: 'customers.create_edit',
      body: customerBulkSchema,
      response: { status: 200, description: 'What changed', schema: customerBulkResultSchema },
      errors: [403, 404],
      handler: ({ principal, body }) => bulk.run(principal, body),
    }),
  ];
}
