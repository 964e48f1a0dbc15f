// The console's calls for customer data archives (server/exports/), and their query keys.
import type { CustomerExport } from '../../common/export.ts';
import type { Page } from '../../common/paging.ts';
import { api, query } from './client.ts';

export const exportKeys = {
  all: ['exports'] as const,
  ofCustomer: (customerId: string) => ['exports', 'customer', customerId] as const,
  latest: (customerIds: string[]) => ['exports', 'latest', customerIds] as const,
};

const segment = encodeURIComponent;

export const exportsApi = {
  request: (customerId: string) =>
    api.post<CustomerExport>(`/api/v1/customers/${segment(customerId)}/exports`),
  list: (customerId: string) =>
    api.get<Page<CustomerExport>>(`/api/v1/customers/${segment(customerId)}/exports`),
  latest: (customerIds: string[]) =>
    api.get<Page<CustomerExport>>(
      `/api/v1/exports${query({ customerIds: customerIds.join(',') })}`,
    ),
};
