// /api/platform/v1: what a platform administrator (a hosting provider) does across accounts.
// Authenticated by KUNDE_PLATFORM_TOKEN alone, never by an agent's session or token: no agent,
// however privileged, administers other accounts. Without the variable the API is off: every
// request gets the same 404 as a route that does not exist, whatever credential or body it
// carries (so the routes stay registered, with their own credentials, but read no body).
import { z } from 'zod';
import {
  accountCreateSchema,
  accountCreatedSchema,
  accountSummarySchema,
} from '../../common/account.ts';
import { AppError } from '../errors.ts';
import { defineRoute, type AnyRouteDef } from '../http/route.ts';
import type { AccountService } from './account.service.ts';

/** The platform API while KUNDE_PLATFORM_TOKEN is unset: indistinguishable from no route. */
function switchedOff(def: AnyRouteDef): AnyRouteDef {
  return {
    ...def,
    body: undefined,
    handler: ({ request }) => {
      throw new AppError(
        404,
        'route_not_found',
        'Not found',
        `No route ${request.method} ${request.url.split('?')[0]}`,
      );
    },
  };
}

export function platformRoutes(accounts: AccountService): AnyRouteDef[] {
  const routes = platformApi(accounts);
  return accounts.platformEnabled ? routes : routes.map(switchedOff);
}

function platformApi(accounts: AccountService) {
  const tags = ['Platform'];
  const description =
    'Authenticated by `Authorization: Bearer <KUNDE_PLATFORM_TOKEN>`; answers 404 when that variable is not set.';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/platform/v1/accounts',
      summary: 'Create an account with its first administrator',
      description: `${description} The administrator's password is generated and returned once when none is sent.`,
      tags,
      auth: 'public',
      ownCredentials: true,
      body: accountCreateSchema,
      response: { status: 201, description: 'The new account', schema: accountCreatedSchema },
      errors: [401, 409],
      handler: async ({ request, body }) => {
        accounts.checkPlatformCredential(request.headers.authorization);
        return accounts.create(body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/platform/v1/accounts',
      summary: 'List every account',
      description,
      tags,
      auth: 'public',
      ownCredentials: true,
      response: {
        status: 200,
        description: 'Every account, oldest first',
        schema: z.object({ items: z.array(accountSummarySchema), total: z.number().int() }),
      },
      errors: [401],
      handler: async ({ request }) => {
        accounts.checkPlatformCredential(request.headers.authorization);
        const items = await accounts.list();
        return { items, total: items.length };
      },
    }),
  ];
}
