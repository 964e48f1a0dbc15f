// /api/v1/organizations/{id}/rules: which agent or team an organization's new tickets go to
// (first match wins). Listed under Organizations in the API reference, where agents look for them.
import { z } from 'zod';
import { pageSchema } from '../../common/paging.ts';
import { routingRuleCreateSchema, routingRuleSchema } from '../../common/ticket.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { RoutingRuleService } from './routing-rule.service.ts';

const ruleParams = idParams.extend({ ruleId: z.string().uuid() });

export function routingRuleRoutes(rules: RoutingRuleService) {
  const tags = ['Organizations'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/organizations/:id/rules',
      summary: "An organization's routing rules",
      tags,
      auth: 'customers.view',
      params: idParams,
      response: {
        status: 200,
        description: 'Rules, first match wins',
        schema: pageSchema(routingRuleSchema),
      },
      errors: [404],
      handler: async ({ principal, params }) => {
        const items = await rules.list(principal.accountId, params.id, principal.scope);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/organizations/:id/rules',
      summary: 'Route tickets from this organization to an agent or team',
      tags,
      auth: 'settings.manage',
      params: idParams,
      body: routingRuleCreateSchema,
      response: { status: 201, description: 'The rule', schema: routingRuleSchema },
      errors: [404],
      handler: ({ principal, params, body }) => rules.create(principal.accountId, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/organizations/:id/rules/:ruleId',
      summary: 'Delete a routing rule',
      tags,
      auth: 'settings.manage',
      params: ruleParams,
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      handler: ({ principal, params }) =>
        rules.remove(principal.accountId, params.id, params.ruleId),
    }),
  ];
}
