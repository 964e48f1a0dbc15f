// Merging organizations (issue 15): the preview (dry run), the merge, the merges an organization
// took part in (the undo banner) and undo. Types from common/merge.ts.
import type {
  MergeRecord,
  MergeSide,
  OrganizationMergePreview,
  OrganizationMergeResult,
  OrganizationMergeUndoResult,
} from '../../common/merge.ts';
import { api } from './client.ts';

const segment = encodeURIComponent;

export const organizationMergeKeys = {
  merges: (id: string) => ['organizations', 'merges', id] as const,
};

export interface OrganizationMergeInput {
  duplicateId: string;
  keep: Record<string, MergeSide>;
}

export const organizationMergesApi = {
  preview: (survivorId: string, body: OrganizationMergeInput) =>
    api.post<OrganizationMergePreview>(
      `/api/v1/organizations/${segment(survivorId)}/merge?dryRun=true`,
      body,
    ),
  merge: (survivorId: string, body: OrganizationMergeInput) =>
    api.post<OrganizationMergeResult>(`/api/v1/organizations/${segment(survivorId)}/merge`, body),
  list: (organizationId: string) =>
    api.get<{ items: MergeRecord[] }>(`/api/v1/organizations/${segment(organizationId)}/merges`),
  undo: (mergeId: string) =>
    api.post<OrganizationMergeUndoResult>(`/api/v1/organization-merges/${segment(mergeId)}/undo`),
};
