// The console's calls for Administration → Webhooks (issue 15), with their react-query keys.
import type { Page } from '../../common/paging.ts';
import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreateInput,
  WebhookEndpointUpdate,
} from '../../common/webhook.ts';
import { api } from './client.ts';

export type WebhookEndpointWithSecret = WebhookEndpoint & { secret: string };

export const webhookKeys = {
  endpoints: ['webhooks'] as const,
  deliveries: (id: string) => ['webhooks', id, 'deliveries'] as const,
};

const segment = encodeURIComponent;

export const webhooksApi = {
  list: async () => (await api.get<Page<WebhookEndpoint>>('/api/v1/webhooks')).items,
  create: (body: WebhookEndpointCreateInput) =>
    api.post<WebhookEndpointWithSecret>('/api/v1/webhooks', body),
  update: (id: string, body: WebhookEndpointUpdate) =>
    api.patch<WebhookEndpoint & { secret?: string }>(`/api/v1/webhooks/${segment(id)}`, body),
  remove: (id: string) => api.delete(`/api/v1/webhooks/${segment(id)}`),
  deliveries: (id: string, cursor?: string) =>
    api.get<Page<WebhookDelivery>>(
      `/api/v1/webhooks/${segment(id)}/deliveries?limit=50${cursor ? `&cursor=${segment(cursor)}` : ''}`,
    ),
  test: (id: string) => api.post<WebhookDelivery>(`/api/v1/webhooks/${segment(id)}/test`),
  retry: (deliveryId: string) =>
    api.post<WebhookDelivery>(`/api/v1/webhook-deliveries/${segment(deliveryId)}/retry`),
};
