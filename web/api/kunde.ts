// The API calls the console makes, one typed function each, and the react-query keys they use.
import type { Session, Setup, Login } from '../../common/auth.ts';
import type {
  AuditEntry,
  Customer,
  CustomerCreate,
  CustomerUpdate,
} from '../../common/customer.ts';
import type {
  CustomerPanel,
  CustomerType,
  CustomField,
  CustomFieldCreate,
  CustomFieldUpdate,
} from '../../common/custom-field.ts';
import type {
  DomainResult,
  Organization,
  OrganizationCreate,
  OrganizationUpdate,
} from '../../common/organization.ts';
import type { CustomerBulk, CustomerBulkResult } from '../../common/customer-bulk.ts';
import type { CustomerSort, SortOrder } from '../../common/customer-list.ts';
import type { Page } from '../../common/paging.ts';
import type { AccountSettings, AccountSettingsUpdate, Locale } from '../../common/settings.ts';
import { ApiError, api, query } from './client.ts';

export type CustomerListStatus = 'active' | 'deactivated' | 'all';

export interface CustomerListParams {
  status: CustomerListStatus;
  q?: string;
  cursor?: string;
  limit?: number;
  /** An organization id, or `none` for customers without one. */
  organizationId?: string;
  typeId?: string;
  sort?: CustomerSort;
  order?: SortOrder;
}

export interface OrganizationListParams {
  q?: string;
  cursor?: string;
  limit?: number;
}

export type CustomFieldEntity = CustomField['entity'];

export const keys = {
  setup: ['setup'] as const,
  session: ['session'] as const,
  customers: ['customers'] as const,
  customerList: (params: CustomerListParams) => ['customers', 'list', params] as const,
  customer: (id: string) => ['customers', 'one', id] as const,
  audit: (id: string) => ['customers', 'audit', id] as const,
  organizations: ['organizations'] as const,
  organizationList: (params: OrganizationListParams) => ['organizations', 'list', params] as const,
  organization: (id: string) => ['organizations', 'one', id] as const,
  customFields: ['custom-fields'] as const,
  customFieldList: (entity: CustomFieldEntity) => ['custom-fields', entity] as const,
  customerTypes: ['customer-types'] as const,
  settings: ['settings'] as const,
};

const segment = encodeURIComponent;

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
    api.get<Page<Customer> & { previousCursor?: string }>(
      `/api/v1/customers${query({
        status: params.status,
        q: params.q,
        cursor: params.cursor,
        limit: params.limit ?? 25,
        organizationId: params.organizationId,
        typeId: params.typeId,
        sort: params.sort,
        order: params.order,
      })}`,
    ),
  /** Deactivate, reactivate or move customers by id or every one matching a filter. */
  bulk: (body: CustomerBulk) => api.post<CustomerBulkResult>('/api/v1/customers/bulk', body),
  get: (id: string) => api.get<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`),
  create: (body: CustomerCreate) => api.post<Customer>('/api/v1/customers', body),
  update: (id: string, body: CustomerUpdate) =>
    api.patch<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`, body),
  audit: (id: string, cursor?: string) =>
    api.get<Page<AuditEntry>>(
      `/api/v1/customers/${encodeURIComponent(id)}/audit${query({ limit: 50, cursor })}`,
    ),
};

export const organizationsApi = {
  list: (params: OrganizationListParams) =>
    api.get<Page<Organization>>(
      `/api/v1/organizations${query({ q: params.q, cursor: params.cursor, limit: params.limit ?? 25 })}`,
    ),
  get: (id: string) => api.get<Organization>(`/api/v1/organizations/${segment(id)}`),
  create: (body: OrganizationCreate) => api.post<Organization>('/api/v1/organizations', body),
  update: (id: string, body: OrganizationUpdate) =>
    api.patch<Organization>(`/api/v1/organizations/${segment(id)}`, body),
  remove: (id: string) =>
    api.delete<{ movedCustomers: number }>(`/api/v1/organizations/${segment(id)}`),
  addDomain: (id: string, domain: string) =>
    api.post<DomainResult>(`/api/v1/organizations/${segment(id)}/domains`, { domain }),
  domain: (id: string, domain: string) =>
    api.get<DomainResult>(`/api/v1/organizations/${segment(id)}/domains/${segment(domain)}`),
  groupDomain: (id: string, domain: string) =>
    api.post<DomainResult>(`/api/v1/organizations/${segment(id)}/domains/${segment(domain)}/group`),
  removeDomain: (id: string, domain: string) =>
    api.delete(`/api/v1/organizations/${segment(id)}/domains/${segment(domain)}`),
  /** Moves customers into an organization, or out of theirs with `none`; the API takes 1000 at a time. */
  moveCustomers: async (organizationId: string | null, customerIds: string[]) => {
    let moved = 0;
    for (let start = 0; start < customerIds.length; start += 1000) {
      const result = await api.post<{ moved: number }>(
        `/api/v1/organizations/${segment(organizationId ?? 'none')}/customers`,
        { customerIds: customerIds.slice(start, start + 1000) },
      );
      moved += result.moved;
    }
    return { moved };
  },
};

export const customFieldsApi = {
  list: (entity: CustomFieldEntity) =>
    api.get<Page<CustomField>>(`/api/v1/custom-fields${query({ entity })}`),
  create: (body: CustomFieldCreate) => api.post<CustomField>('/api/v1/custom-fields', body),
  update: (id: string, body: CustomFieldUpdate) =>
    api.patch<CustomField>(`/api/v1/custom-fields/${segment(id)}`, body),
  remove: (id: string) => api.delete(`/api/v1/custom-fields/${segment(id)}`),
};

export const customerTypesApi = {
  list: () => api.get<Page<CustomerType>>('/api/v1/customer-types'),
  create: (name: string) => api.post<CustomerType>('/api/v1/customer-types', { name }),
  update: (id: string, body: { name?: string; position?: number }) =>
    api.patch<CustomerType>(`/api/v1/customer-types/${segment(id)}`, body),
  remove: (id: string) => api.delete(`/api/v1/customer-types/${segment(id)}`),
};

export const settingsApi = {
  get: () => api.get<AccountSettings>('/api/v1/settings'),
  update: (body: AccountSettingsUpdate) => api.patch<AccountSettings>('/api/v1/settings', body),
  setCustomerPanel: (panel: CustomerPanel) =>
    api.put<CustomerPanel>('/api/v1/settings/customer-panel', panel),
};
