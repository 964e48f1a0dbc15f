// Organization merges' rows of the permission matrix (permission-matrix-routes.ts spreads them in), issue 15.
// The merge is asked as a dry run naming the organization itself: every principal let in gets
// the self-merge's 422 (after the permission and the scope, which is what the matrix tests);
// real merges, their scope rules and undo are in server/merge/organization-merge.http.test.ts.
import { org, type MatrixEntry } from './permission-matrix.ts';

export const ORGANIZATION_MERGE_ROWS: Record<string, MatrixEntry> = {
  'POST /api/v1/organizations/:id/merge': {
    guard: 'customers.delete',
    params: org(),
    query: () => 'dryRun=true',
    body: (c) => ({ duplicateId: c.ids.organization }),
    ok: { status: 422, why: 'the body names the organization itself: merge_with_itself' },
  },
  'GET /api/v1/organizations/:id/merges': { guard: 'customers.view', params: org() },
  // There is no merge among the fixtures: a merge id that is none is 404 to everyone let in.
  // The path's id is an organization's id here, which is no merge's.
  'POST /api/v1/organization-merges/:id/undo': {
    guard: 'customers.delete',
    params: org(),
    ok: {
      status: 404,
      why: 'the id is no merge of the account (undo is tested in the merge test)',
    },
  },
};
