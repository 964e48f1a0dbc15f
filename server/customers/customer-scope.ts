// Where a scoped agent may put a customer (issue 13): creating one, or moving one by an edit or
// a bulk move, must leave it where the agent's teams serve it (an organization served whole, or
// a default location served), or the agent would lose the customer they just wrote.
//
// Refused as a 422 on organizationId rather than a 403: the agent holds the permission, and what
// is wrong is the value of one field, which the console shows beside that field. A 403 would say
// the action itself is forbidden, which it is not (the same create in a served organization works).
import type { FieldError } from '../../common/problem.ts';
import type { Scope } from '../access/scope.ts';
import { servesOrganization } from '../access/scope.ts';
import { ValidationError } from '../errors.ts';

export const OUT_OF_SCOPE_ORGANIZATION = 'is not one of the organizations your teams serve';
export const NO_ORGANIZATION_IN_SCOPE = 'choose one of the organizations your teams serve';

/** Whether a customer placed here stays visible to the scope. */
export function placedInScope(
  scope: Scope,
  organizationId: string | null,
  defaultLocationId: string | null,
): boolean {
  if (servesOrganization(scope, organizationId)) return true;
  return !scope.all && defaultLocationId !== null && scope.locationIds.includes(defaultLocationId);
}

/** Throws the 422 on organizationId when a customer placed here would leave the scope. */
export function requirePlacedInScope(
  scope: Scope,
  organizationId: string | null,
  defaultLocationId: string | null,
): void {
  if (placedInScope(scope, organizationId, defaultLocationId)) return;
  const error: FieldError = organizationId
    ? {
        field: 'organizationId',
        code: 'organization_out_of_scope',
        message: OUT_OF_SCOPE_ORGANIZATION,
      }
    : { field: 'organizationId', code: 'organization_required', message: NO_ORGANIZATION_IN_SCOPE };
  throw new ValidationError([error]);
}
