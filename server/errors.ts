// Typed errors with an HTTP status and a stable code; services throw them, the edge presents them
// as problem+json. Anything else that escapes becomes a 500 with a correlation id, logged, never shown.
import type { FieldError } from '../common/problem.ts';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export class ValidationError extends AppError {
  constructor(
    readonly errors: FieldError[],
    detail = errors.map((e) => `${e.field}: ${e.message}`).join('; '),
  ) {
    super(422, 'validation_failed', 'The request is not valid', detail, { errors });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id?: string) {
    super(
      404,
      `${what}_not_found`,
      'Not found',
      id ? `No ${what} with id ${id}` : `No such ${what}`,
    );
  }
}

export class ConflictError extends AppError {
  constructor(code: string, detail: string, extra: Record<string, unknown> = {}) {
    super(409, code, 'Conflict', detail, extra);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(detail = 'Log in or send an API token') {
    super(401, 'unauthenticated', 'Not logged in', detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(permission: string) {
    super(403, 'forbidden', 'Forbidden', `This needs the permission ${permission}`, {
      permission,
    });
  }
}

/** Unique-key violations from either engine, so the caller can answer 409 instead of 500. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
