// /api/hub/v1: finding a Hub, signing in (password or a mailed link), registering, the signed-in
// customer's own profile, password and signing out; and the agents' "Invite to Customer Hub"
// (/api/v1/customers/{id}/hub/invitation). Thin: validate → service → present.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  HUB_SESSION_COOKIE,
  hubEmailRequestSchema,
  hubMeSchema,
  hubPasswordChangeSchema,
  hubProfileUpdateSchema,
  hubRedeemSchema,
  hubRegistrationSchema,
  hubSignInResultSchema,
  hubSignInSchema,
  hubSiteSchema,
} from '../../common/hub.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute, type AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';
import { HUB_SESSION_TTL_MS } from './hub-principal.ts';
import type { SignedIn } from './hub-auth.service.ts';
import { presentHubSite, requireHubAccount, requireOnlyHubAccount } from './hub-site.ts';

const TAGS = ['Customer Hub'];
const slugParams = z.object({ slug: z.string().min(1).max(60) });
const accepted = {
  status: 202,
  description: 'Accepted (the same answer for any address)',
  schema: z.object({}),
};

/** The Hub's cookie: the agent cookie's options (agent.routes.ts), its own name. */
function setHubCookie(reply: FastifyReply, value: string, secure: boolean) {
  void reply.setCookie(HUB_SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: HUB_SESSION_TTL_MS / 1000,
  });
}

function answer(reply: FastifyReply, signed: SignedIn, secure: boolean) {
  if (signed.cookie) setHubCookie(reply, signed.cookie, secure);
  return signed.result;
}

export function hubAuthRoutes(services: Services): AnyRouteDef[] {
  const { hubAuth, hubLinks } = services;
  const db = services.db.kysely;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/hub/v1/site',
      summary: 'The Customer Hub of a single-account install',
      description:
        'The one Hub that is on (plain /hub); 404 hub_not_found when none or several are.',
      tags: TAGS,
      auth: 'public',
      response: { status: 200, description: 'The Hub', schema: hubSiteSchema },
      errors: [404],
      handler: async () => presentHubSite(await requireOnlyHubAccount(db)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/hub/v1/sites/:slug',
      summary: 'A Customer Hub by its address',
      tags: TAGS,
      auth: 'public',
      params: slugParams,
      response: { status: 200, description: 'The Hub', schema: hubSiteSchema },
      errors: [404],
      handler: async ({ params }) => presentHubSite(await requireHubAccount(db, params.slug)),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hub/v1/sites/:slug/sign-in',
      summary: 'Sign in with email and password',
      description:
        'A correct password starts a new session (HttpOnly cookie kunde_hub), or answers access_off ' +
        'with the support contact. Every wrong credential gets the same 401; failures are throttled ' +
        'per email (100 an hour) and per IP (429 with Retry-After).',
      tags: TAGS,
      auth: 'public',
      params: slugParams,
      body: hubSignInSchema,
      response: {
        status: 200,
        description: 'Signed in, or access off',
        schema: hubSignInResultSchema,
      },
      errors: [401, 404, 422, 429],
      handler: async ({ params, body, reply, request, hub }) => {
        const signed = await hubAuth.signIn(params.slug, body, request.ip);
        // Rotation: the session the browser came with ends; the new one has a fresh secret.
        if (hub) await hubAuth.signOut(hub);
        return answer(reply, signed, request.protocol === 'https');
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hub/v1/sites/:slug/sign-in-links',
      summary: 'Email a one-time sign-in link',
      description:
        'Always 202: a link goes out only to an active customer, at most 5 an hour per address.',
      tags: TAGS,
      auth: 'public',
      params: slugParams,
      body: hubEmailRequestSchema,
      response: accepted,
      errors: [404],
      handler: async ({ params, body }) => {
        await hubLinks.requestLink(params.slug, 'sign_in', body);
        return {};
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hub/v1/sites/:slug/password-resets',
      summary: 'Email a set-password link',
      description:
        'Always 202: a link goes out only to an active customer, at most 5 an hour per address.',
      tags: TAGS,
      auth: 'public',
      params: slugParams,
      body: hubEmailRequestSchema,
      response: accepted,
      errors: [404],
      handler: async ({ params, body }) => {
        await hubLinks.requestLink(params.slug, 'password', body);
        return {};
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hub/v1/sites/:slug/registrations',
      summary: 'Register: email a confirmation link',
      description:
        'Nothing is created until the link is redeemed. 403 registration_closed when the Hub takes ' +
        'no registrations; 422 domain_not_allowed when the email domain is not listed.',
      tags: TAGS,
      auth: 'public',
      params: slugParams,
      body: hubRegistrationSchema,
      response: accepted,
      errors: [403, 404, 422],
      handler: async ({ params, body }) => {
        await hubLinks.register(params.slug, body);
        return {};
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hub/v1/links/redeem',
      summary: 'Redeem a link from an email',
      description:
        'Signs in (sign-in link), confirms a registration, or sets a password (password required). ' +
        'Each link works once within its time; otherwise 400 invalid_link.',
      tags: TAGS,
      auth: 'public',
      body: hubRedeemSchema,
      response: {
        status: 200,
        description: 'Signed in, or access off',
        schema: hubSignInResultSchema,
      },
      errors: [400, 422],
      handler: async ({ body, reply, request, hub }) => {
        const signed = await hubLinks.redeem(body.token, body.password);
        if (hub && signed.cookie) await hubAuth.signOut(hub);
        return answer(reply, signed, request.protocol === 'https');
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hub/v1/sign-out',
      summary: 'Sign out of the Customer Hub',
      tags: TAGS,
      auth: 'hub',
      response: { status: 204, description: 'Signed out' },
      handler: async ({ hub, reply }) => {
        await hubAuth.signOut(hub);
        void reply.clearCookie(HUB_SESSION_COOKIE, { path: '/' });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/hub/v1/me',
      summary: 'The signed-in customer',
      tags: TAGS,
      auth: 'hub',
      response: { status: 200, description: 'The customer', schema: hubMeSchema },
      handler: ({ hub }) => hubAuth.me(hub),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/hub/v1/me',
      summary: "Change the customer's own name or language",
      description:
        'Any other field (access, organization, status, email…) is refused with unknown_field.',
      tags: TAGS,
      auth: 'hub',
      body: hubProfileUpdateSchema,
      response: { status: 200, description: 'The customer', schema: hubMeSchema },
      errors: [422],
      handler: ({ hub, body }) => hubAuth.updateProfile(hub, body),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/hub/v1/me/password',
      summary: "Change the customer's password",
      description:
        "currentPassword is required when a password is set; the customer's other sessions end.",
      tags: TAGS,
      auth: 'hub',
      body: hubPasswordChangeSchema,
      response: { status: 204, description: 'Changed' },
      errors: [422, 429],
      handler: ({ hub, body }) => hubAuth.changePassword(hub, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/:id/hub/invitation',
      summary: 'Invite a customer to the Customer Hub',
      description:
        'Emails a set-password link (72 hours, once). 422 when the customer has no email or the Hub is off.',
      tags: TAGS,
      auth: 'customers.create_edit',
      params: idParams,
      response: accepted,
      errors: [404, 422],
      handler: async ({ principal, params }) => {
        await hubLinks.invite(principal, params.id);
        return {};
      },
    }),
  ];
}
