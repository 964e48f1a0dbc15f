// /api/v1/teams: the teams tickets are routed to, and the tickets each may see (its access). Any
// agent who sees tickets may list them (the ticket pages show team names); only an agent
// administrator creates, changes or deletes one.
import { pageSchema } from '../../common/paging.ts';
import { teamCreateSchema, teamSchema, teamUpdateSchema } from '../../common/ticket.ts';
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
      method: 'PATCH',
      url: '/api/v1/teams/:id',
      summary: "Change a team's name, members or ticket access",
      description:
        "Send only what changes. `access` 'organizations' limits the team's members to the " +
        'tickets (and their customers) of the organizations listed, whole or one location or ' +
        'area of one; `organizations` replaces the list. Applies from the next request.',
      tags,
      auth: 'agents.manage',
      params: idParams,
      body: teamUpdateSchema,
      response: { status: 200, description: 'The team', schema: teamSchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) => teams.update(principal.accountId, params.id, body),
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
