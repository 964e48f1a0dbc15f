// Duplicate suggestions' rows of the permission matrix (permission-matrix-routes.ts spreads them in), issue 15.
// A suggestion is out of the scoped agent's scope when its customers are (the second set's).
import { id, type MatrixEntry } from './permission-matrix.ts';

export const DUPLICATE_ROWS: Record<string, MatrixEntry> = {
  'GET /api/v1/duplicate-suggestions': { guard: 'customers.view' },
  'GET /api/v1/duplicate-suggestions/count': { guard: 'customers.view' },
  // Dismissing twice answers as the first time: no fresh suggestion per cell.
  'POST /api/v1/duplicate-suggestions/:id/dismiss': {
    guard: 'customers.create_edit',
    params: id('duplicateSuggestion'),
  },
};
