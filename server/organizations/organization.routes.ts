// /api/v1/organizations: organizations, their domains, and moving customers into them.
import { z } from 'zod';
import {
  domainAddSchema,
  domainResultSchema,
  moveCustomersSchema,
  moveResultSchema,
  organizationCreateSchema,
  organizationListQuerySchema,
  organizationSchema,
  organizationUpdateSchema,
} from '../../common/organization.ts';
import { pageSchema } from '../../common/paging.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { OrganizationService } from './organization.service.ts';

const domainParams = idParams.extend({ domain: z.string().min(1).max(253) });
const moveParams = z.object({
  id: z.union([z.literal('none'), z.string().uuid('not an organization id')]).meta({
    description: 'The organization, or `none` to take the customers out of their organization',
  }),
});

export function organizationRoutes(organizations: OrganizationService) {
  const tags = ['Organizations'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/organizations',
      summary: 'List organizations',
      description: 'By name; `q` searches names and domains.',
      tags,
      auth: 'customers.view',
      query: organizationListQuerySchema,
      response: {
        status: 200,
        description: 'A page of organizations',
        schema: pageSchema(organizationSchema),
      },
      handler: ({ principal, query }) => organizations.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/organizations',
      summary: 'Create an organization',
      tags,
      auth: 'customers.create_edit',
      body: organizationCreateSchema,
      response: { status: 201, description: 'The new organization', schema: organizationSchema },
      errors: [409],
      handler: ({ principal, body }) => organizations.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/organizations/:id',
      summary: 'Get an organization',
      tags,
      auth: 'customers.view',
      params: idParams,
      response: { status: 200, description: 'The organization', schema: organizationSchema },
      errors: [404],
      handler: ({ principal, params }) => organizations.get(principal, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/organizations/:id',
      summary: 'Edit an organization',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      body: organizationUpdateSchema,
      response: { status: 200, description: 'The organization', schema: organizationSchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) => organizations.update(principal, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/organizations/:id',
      summary: 'Delete an organization',
      description: 'Its customers move to "No organization"; no customer is deleted.',
      tags,
      auth: 'customers.delete',
      params: idParams,
      response: {
        status: 200,
        description: 'Deleted',
        schema: z.object({ movedCustomers: z.number().int() }),
      },
      errors: [404],
      handler: ({ principal, params }) => organizations.remove(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/organizations/:id/domains',
      summary: 'Add an email domain',
      description:
        'New customers of the domain join the organization from now on. The answer says how many ' +
        'existing customers match (`matchingCustomers`); send `groupExisting: true`, or call ' +
        '`POST …/domains/{domain}/group`, to move them too. 409 when another organization owns it.',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      body: domainAddSchema,
      response: { status: 201, description: 'The domain was added', schema: domainResultSchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) => organizations.addDomain(principal, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/organizations/:id/domains/:domain',
      summary: 'How many existing customers a domain would group',
      tags,
      auth: 'customers.view',
      params: domainParams,
      response: { status: 200, description: 'The domain', schema: domainResultSchema },
      errors: [404],
      handler: ({ principal, params }) =>
        organizations.domainResult(principal, params.id, params.domain, false),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/organizations/:id/domains/:domain/group',
      summary: "Move the domain's existing customers into the organization",
      tags,
      auth: 'customers.create_edit',
      params: domainParams,
      response: { status: 200, description: 'Grouped', schema: domainResultSchema },
      errors: [404],
      handler: ({ principal, params }) =>
        organizations.domainResult(principal, params.id, params.domain, true),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/organizations/:id/domains/:domain',
      summary: 'Remove an email domain',
      description: 'Customers stay where they are.',
      tags,
      auth: 'customers.create_edit',
      params: domainParams,
      response: { status: 204, description: 'Removed' },
      errors: [404],
      handler: ({ principal, params }) =>
        organizations.removeDomain(principal, params.id, params.domain),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/organizations/:id/customers',
      summary: 'Move customers into the organization (or `none`)',
      tags,
      auth: 'customers.create_edit',
      params: moveParams,
      body: moveCustomersSchema,
      response: { status: 200, description: 'Moved', schema: moveResultSchema },
      errors: [404],
      handler: ({ principal, params, body }) =>
        organizations.moveCustomers(principal, params.id, body.customerIds),
    }),
  ];
}
