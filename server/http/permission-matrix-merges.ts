// Customer merges' (merge, dry run, merge records, undo) rows of the permission matrix
// (permission-matrix-routes.ts spreads them in), issue 15. An undo consumes its merge: each cell
// gets a fresh one.
import { id, type MatrixEntry } from './permission-matrix.ts';

export const CUSTOMER_MERGE_ROWS: Record<string, MatrixEntry> = {
  // The dry run: the same transaction, guard and scope checks as the merge, rolled back, so the
  // standing duplicate (in the body, where the matrix makes nothing fresh) is there every cell.
  'POST /api/v1/customers/:id/merge': {
    guard: 'customers.delete',
    params: id('customer'),
    query: () => 'dryRun=true',
    body: (c) => ({ duplicateId: c.ids.mergeDuplicate }),
  },
  'GET /api/v1/customers/:id/merges': { guard: 'customers.view', params: id('customer') },
  'GET /api/v1/customer-merges/:id': { guard: 'customers.view', params: id('customerMerge') },
  'POST /api/v1/customer-merges/:id/undo': {
    guard: 'customers.delete',
    params: id('customerMerge'),
    fresh: ['customerMerge'],
  },
};
