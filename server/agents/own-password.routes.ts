// The agent's own password (issue 16 point 4): change it from the profile page (the current one
// required) and "Forgot password" from the login page (a set-password link by email, the same
// 202 for any address). The rules and throttles are in own-password.service.ts.
import { z } from 'zod';
import { passwordChangeSchema, passwordResetRequestSchema } from '../../common/auth.ts';
import { defineRoute } from '../http/route.ts';
import type { OwnPassword } from './own-password.service.ts';

export function ownPasswordRoutes(ownPassword: OwnPassword) {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/me/password',
      summary: 'Change your own password',
      description:
        'Needs the current password; a wrong one counts as a failed login (throttled like login). ' +
        'Your other sessions end; this one and your API tokens stay.',
      tags: ['Session'],
      auth: 'authenticated',
      body: passwordChangeSchema,
      response: { status: 204, description: 'Changed' },
      errors: [422, 429],
      handler: ({ principal, body, request }) => ownPassword.change(principal, body, request.ip),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/password-reset',
      summary: 'Forgot password: email a set-password link',
      description:
        'The same 202 whether or not the address is an agent’s. The link works once, for one hour. ' +
        'Throttled per address (silently) and per client IP (429).',
      tags: ['Session'],
      auth: 'public',
      body: passwordResetRequestSchema,
      response: {
        status: 202,
        description: 'Accepted (the same answer for any address)',
        schema: z.object({}),
      },
      errors: [429],
      handler: async ({ body, request }) => {
        await ownPassword.requestReset(body, request.ip);
        return {};
      },
    }),
  ];
}
