// /api/v1/customer-types: the kinds of customer an account sorts its customers into (a
// customer has at most one). Anyone who sees customers may list them; administrators change them.
import {
  customerTypeCreateSchema,
  customerTypeSchema,
  customerTypeUpdateSchema,
} from '../../common/custom-field.ts';
import { pageSchema } from '../../common/paging.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { CustomerTypeService } from './customer-type.service.ts';

export function customerTypeRoutes(types: CustomerTypeService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/customer-types',
      summary: 'List customer types',
      tags: ['Customer types'],
      auth: 'customers.view',
      response: { status: 200, description: 'The types', schema: pageSchema(customerTypeSchema) },
      handler: async ({ principal }) => {
        const items = await types.list(principal.accountId, principal.scope);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customer-types',
      summary: 'Create a customer type',
      tags: ['Customer types'],
      auth: 'settings.manage',
      body: customerTypeCreateSchema,
      response: { status: 201, description: 'The new type', schema: customerTypeSchema },
      errors: [409],
      handler: ({ principal, body }) => types.create(principal.accountId, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/customer-types/:id',
      summary: 'Rename or reorder a customer type',
      tags: ['Customer types'],
      auth: 'settings.manage',
      params: idParams,
      body: customerTypeUpdateSchema,
      response: { status: 200, description: 'The type', schema: customerTypeSchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) => types.update(principal.accountId, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/customer-types/:id',
      summary: 'Delete a customer type',
      description: 'Its customers are left without a type.',
      tags: ['Customer types'],
      auth: 'settings.manage',
      params: idParams,
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      handler: ({ principal, params }) => types.remove(principal, params.id),
    }),
  ];
}
