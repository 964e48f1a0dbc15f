// Setup, login/logout, the current session, agents by name and API tokens (administering
// agents: agent-admin.routes.ts; roles: role.routes.ts).
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  apiTokenSchema,
  loginSchema,
  meUpdateSchema,
  sessionSchema,
  setupSchema,
  tokenCreateSchema,
} from '../../common/auth.ts';
import { pageSchema } from '../../common/paging.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import { SESSION_TTL_MS, type AgentService } from './agent.service.ts';

export const SESSION_COOKIE = 'kunde_session';

function setSessionCookie(reply: FastifyReply, value: string, secure: boolean) {
  void reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function agentRoutes(agents: AgentService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/setup',
      summary: 'Whether first-run setup is needed',
      tags: ['Session'],
      auth: 'public',
      response: {
        status: 200,
        description: 'Setup state',
        schema: z.object({ needed: z.boolean() }),
      },
      handler: async () => ({ needed: await agents.isSetupNeeded() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/setup',
      summary: 'Create the first account and its administrator',
      description: 'Only on an empty database; logs the new administrator in.',
      tags: ['Session'],
      auth: 'public',
      body: setupSchema,
      response: { status: 201, description: 'The new session', schema: sessionSchema },
      errors: [409],
      handler: async ({ body, reply, request }) => {
        const { accountId, userId } = await agents.setupFirstAccount(body);
        const { cookie, principal } = await agents.startSessionFor(accountId, userId);
        setSessionCookie(reply, cookie, request.protocol === 'https');
        return agents.session(principal);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/session',
      summary: 'Log in',
      description:
        'Starts a new session (HttpOnly cookie). Failed logins are throttled per email and per IP.',
      tags: ['Session'],
      auth: 'public',
      body: loginSchema,
      response: { status: 200, description: 'The session', schema: sessionSchema },
      errors: [401, 429],
      handler: async ({ body, reply, request }) => {
        if (request.principal?.sessionHash) await agents.logout(request.principal);
        const { cookie, principal } = await agents.login(body.email, body.password, request.ip);
        setSessionCookie(reply, cookie, request.protocol === 'https');
        return agents.session(principal);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/session',
      summary: 'The current session',
      tags: ['Session'],
      auth: 'authenticated',
      response: { status: 200, description: 'The session', schema: sessionSchema },
      handler: ({ principal }) => agents.session(principal),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/session',
      summary: 'Log out',
      tags: ['Session'],
      auth: 'authenticated',
      response: { status: 204, description: 'Logged out' },
      handler: async ({ principal, reply }) => {
        await agents.logout(principal);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/me',
      summary: "Change the agent's own preferences",
      tags: ['Session'],
      auth: 'authenticated',
      body: meUpdateSchema,
      response: { status: 200, description: 'The session', schema: sessionSchema },
      handler: async ({ principal, body }) => {
        await agents.setLocale(principal, body.locale);
        return agents.session(principal);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/agents',
      summary: 'Agents by name, for assigning tickets',
      description: 'Only id and name; readable by everyone who can see tickets.',
      tags: ['Agents'],
      auth: 'tickets.view',
      response: {
        status: 200,
        description: 'Active agents',
        schema: pageSchema(z.object({ id: z.string(), name: z.string() })),
      },
      handler: async ({ principal }) => {
        const items = (await agents.listUsers(principal.accountId))
          .filter((u) => u.status === 'active')
          .map((u) => ({ id: u.id, name: u.name }));
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/tokens',
      summary: "List the agent's API tokens",
      tags: ['API tokens'],
      auth: 'authenticated',
      response: { status: 200, description: 'Active tokens', schema: pageSchema(apiTokenSchema) },
      handler: async ({ principal }) => {
        const items = (await agents.listTokens(principal)).map(({ userId: _u, ...t }) => t);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/tokens',
      summary: 'Create an API token',
      description: 'The token is shown once; Kunde keeps only its hash.',
      tags: ['API tokens'],
      auth: 'authenticated',
      body: tokenCreateSchema,
      response: {
        status: 201,
        description: 'The new token',
        schema: z.object({ id: z.string(), token: z.string() }),
      },
      handler: ({ principal, body }) => {
        if (!principal.userId) return Promise.resolve(undefined);
        return agents.createToken(principal.accountId, principal.userId, body.name);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/tokens/:id',
      summary: 'Revoke an API token',
      tags: ['API tokens'],
      auth: 'authenticated',
      params: idParams,
      response: { status: 204, description: 'Revoked' },
      errors: [404],
      handler: ({ principal, params }) => agents.revokeToken(principal, params.id),
    }),
  ];
}
