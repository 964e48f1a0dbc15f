// /api/v1/roles: the built-in roles and custom ones, each a set of permissions.
import { roleInputSchema, roleSummarySchema, roleUpdateSchema } from '../../common/agents.ts';
import { pageSchema } from '../../common/paging.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { RoleService } from './role.service.ts';

export function roleRoutes(roles: RoleService) {
  const tags = ['Agents'];
  const role = { status: 200, description: 'The role', schema: roleSummarySchema };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/roles',
      summary: 'List roles and their permissions',
      description: 'With how many agents hold each.',
      tags,
      auth: 'agents.manage',
      response: { status: 200, description: 'All roles', schema: pageSchema(roleSummarySchema) },
      handler: async ({ principal }) => {
        const items = await roles.list(principal.accountId);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/roles',
      summary: 'Create a custom role',
      tags,
      auth: 'agents.manage',
      body: roleInputSchema,
      response: { ...role, status: 201 },
      errors: [409, 422],
      handler: ({ principal, body }) => roles.create(principal.accountId, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/roles/:id',
      summary: 'Rename a role or change its permissions',
      description: 'The built-in Administrator always has every permission: 409 role_read_only.',
      tags,
      auth: 'agents.manage',
      params: idParams,
      body: roleUpdateSchema,
      response: role,
      errors: [404, 409, 422],
      handler: ({ principal, params, body }) => roles.update(principal.accountId, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/roles/:id',
      summary: 'Delete a custom role',
      description:
        'Refused while agents hold it (409 role_in_use, with agentCount) and for built-in roles ' +
        '(409 role_built_in).',
      tags,
      auth: 'agents.manage',
      params: idParams,
      response: { status: 204, description: 'Deleted' },
      errors: [404, 409],
      handler: ({ principal, params }) => roles.remove(principal.accountId, params.id),
    }),
  ];
}
