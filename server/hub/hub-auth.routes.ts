// /api/hub/v1: placeholder, filled in by issue 14's work.
import type { AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';

export function hubAuthRoutes(_services: Services): AnyRouteDef[] {
  return [];
}
