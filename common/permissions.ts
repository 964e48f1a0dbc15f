// Permissions an agent's role can carry, and the built-in roles.
import { z } from 'zod';

export const PERMISSIONS = [
  'customers.view',
  'customers.create_edit',
  'customers.import',
  'customers.export',
  'customers.delete',
  'tickets.view',
  'tickets.manage',
  'settings.manage',
  'agents.manage',
] as const;

export const permissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof permissionSchema>;

export const BUILT_IN_ROLES = {
  administrator: { name: 'Administrator', permissions: [...PERMISSIONS] },
  agent: {
    name: 'Agent',
    permissions: [
      'customers.view',
      'customers.create_edit',
      'tickets.view',
      'tickets.manage',
    ] satisfies Permission[],
  },
} as const;
