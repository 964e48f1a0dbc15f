// Who is acting: an agent through the console (session) or an integration (API token),
// or the system itself (automatic customers, imports). Every service call carries one.
import type { Permission } from '../../common/permissions.ts';
import { ALL, type Scope } from '../access/scope.ts';
import { ForbiddenError } from '../errors.ts';

export interface Principal {
  accountId: string;
  type: 'user' | 'token' | 'system';
  userId: string | null;
  name: string;
  permissions: ReadonlySet<Permission>;
  /** What they may see (access/scope.ts): read once with the role, cached with the principal. */
  scope: Scope;
  locale: string;
  sessionHash?: string;
  tokenId?: string;
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has(permission);
}

export function requirePermission(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) throw new ForbiddenError(permission);
}

export function systemPrincipal(accountId: string, name = 'Kunde'): Principal {
  return {
    accountId,
    type: 'system',
    userId: null,
    name,
    permissions: new Set(),
    scope: ALL,
    locale: 'en',
  };
}
