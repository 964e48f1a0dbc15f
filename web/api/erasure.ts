// The erasure API as the console calls it: the dry run, the request, the Deleted Customers log
// and the retention purge's preview.
import type {
  DeletedCustomer,
  ErasureDryRun,
  ErasureJob,
  RetentionPreview,
} from '../../common/erasure.ts';
import type { Page } from '../../common/paging.ts';
import { api, query } from './client.ts';

const segment = encodeURIComponent;

export const erasureKeys = {
  dryRun: (id: string) => ['customers', 'erasure', id] as const,
  deleted: (cursor?: string) => ['deleted-customers', cursor ?? ''] as const,
  preview: ['settings', 'retention-preview'] as const,
};

export const erasureApi = {
  dryRun: (id: string) => api.get<ErasureDryRun>(`/api/v1/customers/${segment(id)}/erasure`),
  erase: (id: string) => api.delete<ErasureJob>(`/api/v1/customers/${segment(id)}`),
  deleted: (cursor?: string) =>
    api.get<Page<DeletedCustomer>>(`/api/v1/deleted-customers${query({ limit: 50, cursor })}`),
  preview: () => api.get<RetentionPreview>('/api/v1/settings/retention-preview'),
};
