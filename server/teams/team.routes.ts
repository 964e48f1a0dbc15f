// /api/v1/teams: the teams tickets are routed to. Any agent who sees tickets may list them (the
// ticket pages show team names); only an agent administrator creates or deletes one.
import { pageSchema } from '../../common/paging.ts';
import { teamCreateSchema, teamSchema } from '../../common/ticket.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { TeamService } from './team.service.ts';

export function teamRoutes(teams: TeamService) {
  const tags = ['Teams'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/teams',
      summary: 'List teams',
      tags,
      auth: 'tickets.view',
      response: { status: 200, description: 'Teams', schema: pageSchema(teamSchema) },
      handler: async ({ principal }) => {
        const items = await teams.list(principal.accountId);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/teams',
      summary: 'Create a team',
      tags,
      auth: 'agents.manage',
      body: teamCreateSchema,
      response: { status: 201, description: 'The team', schema: teamSchema },
      errors: [409],
      handler: ({ principal, body }) => teams.create(principal.accountId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/teams/:id',
      summary: 'Delete a team',
      tags,
      auth: 'agents.manage',
      params: idParams,
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      handler: ({ principal, params }) => teams.remove(principal.accountId, params.id),
    }),
  ];
}
