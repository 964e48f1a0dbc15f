// /api/v1/webhooks: endpoints, their delivery log, a test event, retrying a delivery.
// Placeholder in the issue 15 core; its engineer fills it in. Registered in http/app.ts.
import type { AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';

export function webhookRoutes(services: Services): AnyRouteDef[] {
  void services;
  return [];
}
