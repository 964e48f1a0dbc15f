// Customer merges' (merge, dry run, merge records, undo) rows of the permission matrix (permission-matrix-routes.ts spreads them in), issue 15.
import type { MatrixEntry } from './permission-matrix.ts';

export const CUSTOMER_MERGE_ROWS: Record<string, MatrixEntry> = {};
