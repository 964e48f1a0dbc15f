// Permissions an agent's role can carry, and the built-in roles. Every one guards routes
// (checked by the permission matrix, server/http/permission-matrix.test.ts). customers.delete is
// the seeds' "delete" right: deactivating and reactivating a customer (the reversible delete) and
// deleting an organization; erasure will need it too. The built-in Agent role does not have it.
// scope.all: see every ticket, customer and organization of the account, whatever the agent's
// teams give (server/access/scope.ts). Both built-in roles carry it, so an account that never
// narrows anyone works as before; a role without it sees only what its agent's teams' ticket
// access gives, plus the tickets assigned to them.
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
  'scope.all',
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
      'scope.all',
    ] satisfies Permission[],
  },
} as const;
