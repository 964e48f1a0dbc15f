// /api/v1/settings/hub and /api/v1/customers/{id}/hub: the agents' side of the Customer Hub.
// The account's Hub settings (its address, sign-in methods, self-registration, the support
// contact) and a customer's Hub access and organization grants. Thin routes over
// hub-settings.service.ts and customer-hub.service.ts.
import {
  customerHubGrantsSchema,
  customerHubSchema,
  hubSettingsSchema,
  hubSettingsUpdateSchema,
} from '../../common/hub.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute, type AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';
import { CustomerHubService } from './customer-hub.service.ts';
import { HubSettingsService } from './hub-settings.service.ts';

export function customerHubRoutes(services: Services): AnyRouteDef[] {
  const settings = new HubSettingsService(services.db.kysely, services.settings);
  const customerHub = new CustomerHubService(services.db.kysely, services.customers);
  const tags = ['Customer Hub'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/settings/hub',
      summary: "The account's Customer Hub settings",
      tags,
      auth: 'customers.view',
      response: { status: 200, description: 'The Hub settings', schema: hubSettingsSchema },
      handler: ({ principal }) => settings.get(principal.accountId),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/settings/hub',
      summary: 'Change the Customer Hub settings',
      description:
        'Turning the Hub on without an address picks one from the account name. The address ' +
        'is unique across the installation (409 on slug).',
      tags,
      auth: 'settings.manage',
      body: hubSettingsUpdateSchema,
      response: {
        status: 200,
        description: 'The Hub settings after the change',
        schema: hubSettingsSchema,
      },
      errors: [409],
      handler: ({ principal, body }) => settings.update(principal.accountId, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/:id/hub',
      summary: "A customer's Customer Hub access",
      tags,
      auth: 'customers.view',
      params: idParams,
      response: { status: 200, description: 'Hub access and grants', schema: customerHubSchema },
      errors: [404],
      handler: ({ principal, params }) => customerHub.get(principal, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/customers/:id/hub/organizations',
      summary: 'Set the organizations whose tickets a customer may see in the Hub',
      description:
        'Replaces the grants. The customer may then view, reply to and raise tickets of each ' +
        'organization in the Customer Hub; a grant removed takes effect on the next request.',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      body: customerHubGrantsSchema,
      response: { status: 200, description: 'Hub access and grants', schema: customerHubSchema },
      errors: [404],
      handler: ({ principal, params, body }) =>
        customerHub.replaceGrants(principal, params.id, body),
    }),
  ];
}
