// Turns zod's issues into the API's field errors: a dotted field path and a plain reason; and
// applies the shared text policy to everything a route reads from the request.
import type { z } from 'zod';
import { findTextViolations } from '../../common/text.ts';
import type { FieldError } from '../../common/problem.ts';
import { ValidationError } from './errors.ts';

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: path ? `${path}.${key}` : key,
        message: 'unknown field',
      }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return [{ field: path || '(body)', message: 'required' }];
    }
    return [{ field: path || '(body)', message: issue.message }];
  });
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
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
