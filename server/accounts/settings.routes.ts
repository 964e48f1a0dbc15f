// /api/v1/settings: account-wide settings.
import { accountSettingsSchema, accountSettingsUpdateSchema } from '../../common/settings.ts';
import { defineRoute } from '../http/route.ts';
import type { SettingsService } from './settings.service.ts';

export function settingsRoutes(settings: SettingsService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/settings',
      summary: 'Account settings',
      tags: ['Settings'],
      auth: 'customers.view',
      response: { status: 200, description: 'The settings', schema: accountSettingsSchema },
      handler: ({ principal }) => settings.get(principal.accountId),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/settings',
      summary: 'Change account settings',
      tags: ['Settings'],
      auth: 'settings.manage',
      body: accountSettingsUpdateSchema,
      response: {
        status: 200,
        description: 'The settings after the change',
        schema: accountSettingsSchema,
      },
      handler: ({ principal, body }) => settings.update(principal.accountId, body),
    }),
  ];
}
