// POST /api/v1/customers/{id}/merge (?dryRun=true for the preview), the merge records, POST /api/v1/customer-merges/{id}/undo.
// Placeholder in the issue 15 core; its engineer fills it in. Registered in http/app.ts.
import type { AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';

export function customerMergeRoutes(services: Services): AnyRouteDef[] {
  void services;
  return [];
}
