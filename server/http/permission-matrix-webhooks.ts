// Webhooks' (endpoints, deliveries, test events) rows of the permission matrix
// (permission-matrix-routes.ts spreads them in), issue 15. Administrators only (settings.manage):
// an endpoint's URL and log say where the account's data goes. Endpoints are not scoped by
// organization, so the scoped agent has no out-of-scope column here (and no settings.manage).
import { WEBHOOK_BODY } from '../test/permission-fixtures.ts';
import type { MatrixEntry } from './permission-matrix.ts';

export const WEBHOOK_ROWS: Record<string, MatrixEntry> = {
  'GET /api/v1/webhooks': { guard: 'settings.manage' },
  'POST /api/v1/webhooks': { guard: 'settings.manage', body: () => WEBHOOK_BODY },
  'GET /api/v1/webhooks/:id': { guard: 'settings.manage', params: { id: 'webhook' } },
  'PATCH /api/v1/webhooks/:id': {
    guard: 'settings.manage',
    params: { id: 'webhook' },
    body: () => ({ description: 'Matrix CRM' }),
  },
  'DELETE /api/v1/webhooks/:id': {
    guard: 'settings.manage',
    params: { id: 'webhook' },
    fresh: ['webhook'],
  },
  'GET /api/v1/webhooks/:id/deliveries': { guard: 'settings.manage', params: { id: 'webhook' } },
  'POST /api/v1/webhooks/:id/test': { guard: 'settings.manage', params: { id: 'webhook' } },
  'POST /api/v1/webhook-deliveries/:id/retry': {
    guard: 'settings.manage',
    params: { id: 'webhookDelivery' },
  },
};
