// POST /api/v1/organizations/{id}/merge (?dryRun=true), POST /api/v1/organization-merges/{id}/undo.
// Placeholder in the issue 15 core; its engineer fills it in. Registered in http/app.ts.
import type { AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';

export function organizationMergeRoutes(services: Services): AnyRouteDef[] {
  void services;
  return [];
}
