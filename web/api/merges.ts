// The merge and duplicate-suggestion API as the console calls it (issue 15): the preview and the
// merge itself, the merges into a customer (for the undo banner), undo, and the suggestions.
import type { z } from 'zod';
import type {
  customerMergeUndoResultSchema,
  duplicateCountSchema,
  CustomerMergePreview,
  CustomerMergeRequest,
  CustomerMergeResult,
  DuplicateSuggestion,
  MergeRecord,
} from '../../common/merge.ts';
import type { Page } from '../../common/paging.ts';
import { api, query } from './client.ts';

const segment = encodeURIComponent;

export type CustomerMergeUndoResult = z.infer<typeof customerMergeUndoResultSchema>;

export const mergeKeys = {
  preview: (survivorId: string, request: CustomerMergeRequest) =>
    ['merge-preview', survivorId, request] as const,
  // Under 'customers' so that every customer change (which invalidates ['customers']) refreshes
  // the banner: an edit since the merge can make undo unsafe.
  merges: (customerId: string) => ['customers', 'merges', customerId] as const,
  duplicates: ['duplicate-suggestions'] as const,
  duplicateList: (params: { customerId?: string; cursor?: string }) =>
    ['duplicate-suggestions', 'list', params] as const,
  duplicateCount: ['duplicate-suggestions', 'count'] as const,
};

export const mergesApi = {
  preview: (survivorId: string, request: CustomerMergeRequest) =>
    api.post<CustomerMergePreview>(
      `/api/v1/customers/${segment(survivorId)}/merge?dryRun=true`,
      request,
    ),
  merge: (survivorId: string, request: CustomerMergeRequest) =>
    api.post<CustomerMergeResult>(`/api/v1/customers/${segment(survivorId)}/merge`, request),
  /** The merges into this customer, newest first. */
  listFor: (customerId: string) =>
    api.get<Page<MergeRecord>>(`/api/v1/customers/${segment(customerId)}/merges`),
  undo: (mergeId: string) =>
    api.post<CustomerMergeUndoResult>(`/api/v1/customer-merges/${segment(mergeId)}/undo`),
};

export const duplicatesApi = {
  list: (params: { customerId?: string; cursor?: string; limit?: number }) =>
    api.get<Page<DuplicateSuggestion>>(
      `/api/v1/duplicate-suggestions${query({
        customerId: params.customerId,
        cursor: params.cursor,
        limit: params.limit ?? 25,
      })}`,
    ),
  count: () => api.get<z.infer<typeof duplicateCountSchema>>('/api/v1/duplicate-suggestions/count'),
  dismiss: (id: string) =>
    api.post<unknown>(`/api/v1/duplicate-suggestions/${segment(id)}/dismiss`),
};
