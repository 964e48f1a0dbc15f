// The API calls the console makes, one typed function each, and the react-query keys they use.
import type { Session, Setup, Login } from '../../common/auth.ts';
import type {
  AuditEntry,
  Customer,
  CustomerCreate,
  CustomerUpdate,
} from '../../common/customer.ts';
import type { Page } from '../../common/paging.ts';
import type { Locale } from '../../common/settings.ts';
import { ApiError, api, query } from './client.ts';

export type CustomerListStatus = 'active' | 'deactivated' | 'all';

export interface CustomerListParams {
  status: CustomerListStatus;
  q?: string;
  cursor?: string;
  limit?: number;
}

export const keys = {
  setup: ['setup'] as const,
  session: ['session'] as const,
  customers: ['customers'] as const,
  customerList: (params: CustomerListParams) => ['customers', 'list', params] as const,
  customer: (id: string) => ['customers', 'one', id] as const,
  audit: (id: string) => ['customers', 'audit', id] as const,
};

export const setupApi = {
  status: () => api.get<{ needed: boolean }>('/api/v1/setup'),
  run: (body: Setup) => api.post<Session>('/api/v1/setup', body),
};

export const sessionApi = {
  /** The current session, or null when nobody is logged in. */
  current: async (): Promise<Session | null> => {
    try {
      return await api.get<Session>('/api/v1/session');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  login: (body: Login) => api.post<Session>('/api/v1/session', body),
  logout: () => api.delete('/api/v1/session'),
  setLocale: (locale: Locale) => api.patch<Session>('/api/v1/me', { locale }),
};

export const customersApi = {
  list: (params: CustomerListParams) =>
    api.get<Page<Customer>>(
      `/api/v1/customers${query({ status: params.status, q: params.q, cursor: params.cursor, limit: params.limit ?? 25 })}`,
    ),
  get: (id: string) => api.get<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`),
  create: (body: CustomerCreate) => api.post<Customer>('/api/v1/customers', body),
  update: (id: string, body: CustomerUpdate) =>
    api.patch<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`, body),
  audit: (id: string, cursor?: string) =>
    api.get<Page<AuditEntry>>(
      `/api/v1/customers/${encodeURIComponent(id)}/audit${query({ limit: 50, cursor })}`,
    ),
};
