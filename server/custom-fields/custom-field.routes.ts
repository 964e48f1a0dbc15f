// /api/v1/custom-fields and /api/v1/settings/customer-panel (which fields the customer detail
// panel shows, in order). Customer types have their own routes in server/customer-types/.
import { z } from 'zod';
import {
  CUSTOM_FIELD_ENTITIES,
  customerPanelSchema,
  customFieldCreateSchema,
  customFieldSchema,
  customFieldUpdateSchema,
} from '../../common/custom-field.ts';
import { pageSchema } from '../../common/paging.ts';
import type { SettingsService } from '../accounts/settings.service.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { CustomFieldService } from './custom-field.service.ts';

export function customFieldRoutes(fields: CustomFieldService, settings: SettingsService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/custom-fields',
      summary: 'List custom fields',
      tags: ['Custom fields'],
      auth: 'customers.view',
      query: z.object({ entity: z.enum(CUSTOM_FIELD_ENTITIES).optional() }),
      response: {
        status: 200,
        description: 'The fields, in order',
        schema: pageSchema(customFieldSchema),
      },
      handler: async ({ principal, query }) => {
        const items = await fields.list(principal.accountId, query.entity);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/custom-fields',
      summary: 'Define a custom field',
      tags: ['Custom fields'],
      auth: 'settings.manage',
      body: customFieldCreateSchema,
      response: { status: 201, description: 'The new field', schema: customFieldSchema },
      errors: [409],
      handler: ({ principal, body }) => fields.create(principal.accountId, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/custom-fields/:id',
      summary: 'Change a custom field',
      description: 'The key, entity and type stay; everything else can change.',
      tags: ['Custom fields'],
      auth: 'settings.manage',
      params: idParams,
      body: customFieldUpdateSchema,
      response: { status: 200, description: 'The field', schema: customFieldSchema },
      errors: [404],
      handler: ({ principal, params, body }) => fields.update(principal.accountId, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/custom-fields/:id',
      summary: 'Delete a custom field',
      description: 'Values already stored stay on the records as free-form attributes.',
      tags: ['Custom fields'],
      auth: 'settings.manage',
      params: idParams,
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      handler: ({ principal, params }) => fields.remove(principal.accountId, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/settings/customer-panel',
      summary: 'What the customer detail panel shows, in order',
      tags: ['Settings'],
      auth: 'customers.view',
      response: { status: 200, description: 'The panel', schema: customerPanelSchema },
      handler: ({ principal }) => settings.customerPanel(principal.accountId),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/settings/customer-panel',
      summary: 'Choose what the customer detail panel shows, in order',
      tags: ['Settings'],
      auth: 'settings.manage',
      body: customerPanelSchema,
      response: { status: 200, description: 'The panel', schema: customerPanelSchema },
      handler: ({ principal, body }) => settings.setCustomerPanel(principal.accountId, body),
    }),
  ];
}
