// /api/v1/duplicate-suggestions: the pairs Kunde suspects, their count, dismissing one.
// Placeholder in the issue 15 core; its engineer fills it in. Registered in http/app.ts.
import type { AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';

export function duplicateRoutes(services: Services): AnyRouteDef[] {
  void services;
  return [];
}
