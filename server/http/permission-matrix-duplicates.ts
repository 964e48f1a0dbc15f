// Duplicate suggestions' rows of the permission matrix (permission-matrix-routes.ts spreads them in), issue 15.
import type { MatrixEntry } from './permission-matrix.ts';

export const DUPLICATE_ROWS: Record<string, MatrixEntry> = {};
