// Permissions an agent's role can carry, and the built-in roles. Every one guards routes
// (checked by the permission matrix, server/http/permission-matrix.test.ts). customers.delete is
// the seeds' "delete" right: deactivating and reactivating a customer (the reversible delete) and
// deleting an organization; erasure will need it too. The built-in Agent role does not have it.
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
