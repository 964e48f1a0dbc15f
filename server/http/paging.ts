// Opaque cursors for keyset paging: a position, base64url-encoded so clients treat it as a token.
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
    if (typeof value === 'object' && value !== null && isValid(value as Record<string, unknown>)) {
      return value as T;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError([{ field: 'cursor', message: 'not a cursor this API gave out' }]);
}
