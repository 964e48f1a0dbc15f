// /api/hub/v1: placeholder, filled in by issue 14's work.
import type { AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';

export function hubTicketRoutes(_services: Services): AnyRouteDef[] {
  return [];
}
