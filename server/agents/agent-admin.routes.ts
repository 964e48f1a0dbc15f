// /api/v1/users: the support team as an administrator manages it (list, create or invite, edit,
// deactivate, reactivate, reset password), and the public set-password link an invited agent or
// a reset sends (/api/v1/password-links/{token}: check it, then set the password with it).
import { z } from 'zod';
import {
  passwordTokenInfoSchema,
  setPasswordSchema,
  userUpdateSchema,
} from '../../common/agents.ts';
import { userCreateSchema, userSchema } from '../../common/auth.ts';
import { pageSchema } from '../../common/paging.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { AgentAdminService } from './agent-admin.service.ts';
import type { PasswordLinks } from './password-link.service.ts';

const tokenParams = z.object({
  token: z.string().min(1).max(300).meta({ description: 'The token from the emailed link' }),
});

export function agentAdminRoutes(agents: AgentAdminService, links: PasswordLinks) {
  const tags = ['Agents'];
  const user = { status: 200, description: 'The agent', schema: userSchema };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/users',
      summary: 'List agents',
      description: 'Every agent of the account with role, teams, language and status.',
      tags,
      auth: 'agents.manage',
      response: { status: 200, description: 'All agents', schema: pageSchema(userSchema) },
      handler: async ({ principal }) => {
        const items = await agents.list(principal.accountId);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users',
      summary: 'Create or invite an agent',
      description:
        'With a password the agent can log in at once; without one they are invited: a ' +
        'set-password email goes through the outbox and they show as "invited" until they set it.',
      tags,
      auth: 'agents.manage',
      body: userCreateSchema,
      response: { status: 201, description: 'The new agent', schema: userSchema },
      errors: [409, 422],
      handler: ({ principal, body }) => agents.create(principal.accountId, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/users/:id',
      summary: 'One agent',
      tags,
      auth: 'agents.manage',
      params: idParams,
      response: user,
      errors: [404],
      handler: ({ principal, params }) => agents.get(principal.accountId, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/users/:id',
      summary: 'Edit an agent',
      description:
        'Name, login email (unique across the installation), role, teams and language; only ' +
        'what is sent changes. Demoting the last active administrator is refused (409 ' +
        'last_administrator).',
      tags,
      auth: 'agents.manage',
      params: idParams,
      body: userUpdateSchema,
      response: user,
      errors: [404, 409, 422],
      handler: ({ principal, params, body }) => agents.update(principal.accountId, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users/:id/deactivate',
      summary: 'Deactivate an agent',
      description:
        'Ends their sessions and revokes their API tokens at once; they cannot log in until ' +
        'reactivated. The last active administrator cannot be deactivated (409 last_administrator).',
      tags,
      auth: 'agents.manage',
      params: idParams,
      response: user,
      errors: [404, 409],
      handler: ({ principal, params }) => agents.deactivate(principal.accountId, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users/:id/reactivate',
      summary: 'Reactivate an agent',
      tags,
      auth: 'agents.manage',
      params: idParams,
      response: user,
      errors: [404],
      handler: ({ principal, params }) => agents.reactivate(principal.accountId, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users/:id/reset-password',
      summary: 'Email an agent a link to set a new password',
      description:
        'Single-use, valid 24 hours (an invited agent gets a new 7-day invitation instead). The ' +
        'current password works until the new one is set; setting it ends their sessions.',
      tags,
      auth: 'agents.manage',
      params: idParams,
      response: { status: 204, description: 'The email is in the outbox' },
      errors: [404, 409],
      handler: ({ principal, params }) => agents.resetPassword(principal.accountId, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/password-links/:token',
      summary: 'Check a set-password link',
      description: 'Who it is for; 404 when unknown, 410 when used or expired.',
      tags: ['Session'],
      auth: 'public',
      params: tokenParams,
      response: { status: 200, description: 'The link', schema: passwordTokenInfoSchema },
      errors: [404, 410],
      handler: ({ params }) => links.check(params.token),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/password-links/:token',
      summary: 'Set a password with a link',
      description: 'Uses the link up (once); the agent then logs in with the new password.',
      tags: ['Session'],
      auth: 'public',
      params: tokenParams,
      body: setPasswordSchema,
      response: {
        status: 200,
        description: 'The password is set',
        schema: z.object({ email: z.string() }),
      },
      errors: [404, 410, 422],
      handler: ({ params, body }) => links.setPassword(params.token, body.password),
    }),
  ];
}
