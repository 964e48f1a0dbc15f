// Turns zod's issues into the API's field errors: a dotted field path and a plain reason; and
// applies the shared text policy to everything a route reads from the request.
import type { z } from 'zod';
import { findTextViolations } from '../../common/text.ts';
import type { FieldError } from '../../common/problem.ts';
import { ValidationError } from '../errors.ts';

/** The value at a zod issue's path in the input, or undefined when nothing was sent there. */
function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function fieldErrors(error: z.ZodError, input?: unknown): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: path ? `${path}.${key}` : key,
        message: 'unknown field',
      }));
    }
    // zod does not report the input by default: "required" only when nothing was sent there, so
    // limit=abc says it is not a number instead.
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      return [{ field: path || '(body)', message: 'required' }];
    }
    return [{ field: path || '(body)', message: issue.message }];
  });
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error, value));
  return parsed.data;
}

/**
 * Refuses (422, each field named) any string or key in the path parameters, the query or a JSON
 * body that the text policy refuses. Query fields are named as sent ("q"), body fields by their
 * dotted path. Raw bodies (buffers, streams) are not JSON text and are left to their route.
 */
export function refuseForbiddenText(params: unknown, query: unknown, body: unknown): void {
  const errors: FieldError[] = [
    ...findTextViolations(params),
    ...findTextViolations(query),
    ...(isJsonValue(body) ? findTextViolations(body) : []),
  ];
  if (errors.length) throw new ValidationError(errors);
}

function isJsonValue(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body !== 'object') return true;
  return Array.isArray(body) || Object.getPrototypeOf(body) === Object.prototype;
}
