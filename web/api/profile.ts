// The console's calls for the signed-in agent's own things (issue 16 point 4): their password,
// their API tokens, "Forgot password" before login, and which webhook secrets the account has
// (Administration → Account), with their react-query keys.
import type { ApiToken, PasswordChange } from '../../common/auth.ts';
import type { Page } from '../../common/paging.ts';
import type { WebhookSecrets } from '../../common/settings.ts';
import { api } from './client.ts';

export const profileKeys = {
  tokens: ['tokens'] as const,
  webhookSecrets: ['settings', 'webhook-secrets'] as const,
};

export const ownPasswordApi = {
  change: (body: PasswordChange) => api.post<void>('/api/v1/me/password', body),
  forgot: (email: string) => api.post<Record<string, never>>('/api/v1/password-reset', { email }),
};

export const tokensApi = {
  list: async () => (await api.get<Page<ApiToken>>('/api/v1/tokens')).items,
  create: (name: string) => api.post<{ id: string; token: string }>('/api/v1/tokens', { name }),
  revoke: (id: string) => api.delete(`/api/v1/tokens/${encodeURIComponent(id)}`),
};

export type WebhookSecretName = 'sms-webhook' | 'email-webhook';

export const webhookSecretsApi = {
  status: () => api.get<WebhookSecrets>('/api/v1/settings/webhook-secrets'),
  rotate: (name: WebhookSecretName) =>
    api.post<{ secret: string }>(`/api/v1/settings/${name}-secret`),
};
