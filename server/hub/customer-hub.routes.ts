// /api/v1/settings/hub and /api/v1/customers/{id}/hub: placeholder, filled in by issue 14's work.
import type { AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';

export function customerHubRoutes(_services: Services): AnyRouteDef[] {
  return [];
}
