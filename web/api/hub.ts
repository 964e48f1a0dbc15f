// The console's calls for the Customer Hub (server/hub/customer-hub.routes.ts): the account's Hub
// settings, a customer's Hub access and organization grants, and the invitation; query keys.
import { useQuery } from '@tanstack/react-query';
import type {
  CustomerHub,
  CustomerHubGrants,
  HubSettings,
  HubSettingsUpdate,
} from '../../common/hub.ts';
import { api } from './client.ts';

export const hubKeys = {
  settings: ['hub', 'settings'] as const,
  customer: (customerId: string) => ['hub', 'customer', customerId] as const,
};

const segment = encodeURIComponent;

export const hubApi = {
  settings: () => api.get<HubSettings>('/api/v1/settings/hub'),
  updateSettings: (body: HubSettingsUpdate) => api.patch<HubSettings>('/api/v1/settings/hub', body),
  customer: (customerId: string) =>
    api.get<CustomerHub>(`/api/v1/customers/${segment(customerId)}/hub`),
  setGrants: (customerId: string, body: CustomerHubGrants) =>
    api.put<CustomerHub>(`/api/v1/customers/${segment(customerId)}/hub/organizations`, body),
  /** Mails the customer a set-password link (server/hub/hub-auth.routes.ts). */
  invite: (customerId: string) =>
    api.post<unknown>(`/api/v1/customers/${segment(customerId)}/hub/invitation`),
};

/** The account's Hub settings: the form's switch and the customer page show only when it is on. */
export function useHubSettings() {
  return useQuery({ queryKey: hubKeys.settings, queryFn: hubApi.settings, staleTime: 60_000 });
}

/** The full address customers open: this console's origin, /hub/<slug>. */
export function hubUrl(slug: string): string {
  return `${window.location.origin}/hub/${slug}`;
}
