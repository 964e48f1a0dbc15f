// Declares an API route once: its schemas validate the request, check the permission on the
// server, and describe the route in the OpenAPI document.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../../common/permissions.ts';
import type { Principal } from '../agents/principal.ts';
import { requirePermission } from '../agents/principal.ts';
import type { HubPrincipal } from '../hub/hub-principal.ts';
import { UnauthenticatedError } from '../errors.ts';
import { cleanJsonValue } from '../../common/text.ts';
import { parseOrThrow, refuseForbiddenText } from './validation.ts';

/**
 * 'public': anyone; 'authenticated' or a permission: an agent (session or API token); 'hub': a
 * customer signed in to the Customer Hub (server/hub/hub-principal.ts). Agent routes never take
 * a Hub session and Hub routes never take an agent's: the edge reads only one credential per path.
 */
export type RouteAuth = 'public' | 'authenticated' | 'hub' | Permission;

export interface RouteContext<P, Q, B, A extends RouteAuth> {
  request: FastifyRequest;
  reply: FastifyReply;
  params: P;
  query: Q;
  body: B;
  principal: A extends 'public' ? Principal | undefined : A extends 'hub' ? never : Principal;
  /** The signed-in customer on a Hub route (auth 'hub'); undefined on every other route. */
  hub: A extends 'hub' ? HubPrincipal : HubPrincipal | undefined;
}

export interface RouteDef<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  A extends RouteAuth = RouteAuth,
> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Fastify path syntax: /api/v1/customers/:id */
  url: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: A;
  /** The route checks a credential of its own (a webhook secret): the edge leaves Authorization alone. */
  ownCredentials?: boolean;
  /**
   * How the text policy (common/text.ts) treats the JSON body: 'refuse' (the default) answers 422
   * naming the field; 'clean' removes the characters, for a provider's webhook delivering what a
   * person sent (an SMS): it cannot correct and resend, and what it delivered must be kept.
   */
  bodyText?: 'refuse' | 'clean';
  /**
   * The route also takes multipart/form-data (text fields and files): such a request reaches the
   * handler with `body` undefined, and the handler reads its parts, applying `body` and the text
   * policy to the fields itself. JSON is validated here as usual.
   */
  multipart?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** Extra request headers worth documenting, e.g. If-Match. */
  headers?: { name: string; description: string }[];
  response: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  errors?: number[];
  handler: (
    ctx: RouteContext<z.infer<P>, z.infer<Q>, z.infer<B>, A>,
  ) => Promise<unknown> | FastifyReply;
}

export type AnyRouteDef = RouteDef<z.ZodType, z.ZodType, z.ZodType, RouteAuth>;

export function defineRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  A extends RouteAuth,
>(def: RouteDef<P, Q, B, A>): AnyRouteDef {
  return def;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    hubPrincipal?: HubPrincipal;
  }
  interface FastifyContextConfig {
    ownCredentials?: boolean;
  }
}

export function registerRoutes(app: FastifyInstance, routes: AnyRouteDef[]): void {
  for (const def of routes) {
    app.route({
      method: def.method,
      url: def.url,
      config: { ownCredentials: def.ownCredentials ?? false },
      handler: async (request, reply) => {
        const principal = request.principal;
        const hub = request.hubPrincipal;
        if (def.auth === 'hub') {
          if (!hub) throw new UnauthenticatedError('Sign in to the Customer Hub');
        } else if (def.auth !== 'public') {
          if (!principal) throw new UnauthenticatedError();
          if (def.auth !== 'authenticated') requirePermission(principal, def.auth);
        }
        // The text policy (common/text.ts) before any schema: a NUL or a lone surrogate never
        // reaches a handler, a query or a database, on either engine.
        const cleanBody = def.bodyText === 'clean';
        const jsonBody = def.body !== undefined && !(def.multipart && request.isMultipart());
        refuseForbiddenText(
          request.params,
          request.query,
          jsonBody && !cleanBody ? request.body : undefined,
        );
        if (jsonBody && cleanBody) request.body = cleanJsonValue(request.body);
        const params: unknown = def.params ? parseOrThrow(def.params, request.params) : {};
        const query: unknown = def.query ? parseOrThrow(def.query, request.query) : {};
        const body: unknown =
          jsonBody && def.body ? parseOrThrow(def.body, request.body ?? {}) : undefined;
        const result = await def.handler({
          request,
          reply,
          params,
          query,
          body,
          principal: principal,
          hub: hub,
        });
        if (reply.sent) return reply;
        reply.status(def.response.status);
        if (def.response.status === 204 || result === undefined) return reply.send();
        return reply.send(result);
      },
    });
  }
}
