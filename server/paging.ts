// Opaque cursors for keyset paging: a position, base64url-encoded so clients treat it as a token.
// A cursor is client input like any other: what it decodes to goes into SQL, so it holds only
// what encodeCursor writes (safe integers, short text the text policy accepts), or it is refused.
import { fieldError } from '../common/field-error-codes.ts';
import { textProblem } from '../common/text.ts';
import { ValidationError } from './errors.ts';

export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(
  cursor: string,
  isValid: (value: Record<string, unknown>) => value is T,
): T {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every(isPositionPart) &&
      isValid(value as Record<string, unknown>)
    ) {
      return value as T;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError([
    fieldError('cursor', 'invalid_cursor', 'not a cursor this API gave out'),
  ]);
}

/** A number PostgreSQL compares with an integer column (1.5 or 1e308 fail there), or clean text. */
function isPositionPart(part: unknown): boolean {
  if (typeof part === 'number') return Number.isSafeInteger(part);
  return typeof part === 'string' && part.length <= 500 && textProblem(part) === undefined;
}
