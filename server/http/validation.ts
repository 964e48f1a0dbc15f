// Turns zod's issues into the API's field errors: a dotted field path, a stable code from the
// issue's kind (or the schema's registered sentence) and a plain reason; and
// applies the shared text policy to everything a route reads from the request.
import type { z } from 'zod';
import { findTextViolations } from '../../common/text.ts';
import {
  codeOfMessage,
  fieldError,
  isFieldErrorCode,
  type FieldErrorCode,
} from '../../common/field-error-codes.ts';
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
      return issue.keys.map((key) =>
        fieldError(path ? `${path}.${key}` : key, 'unknown_field', 'unknown field'),
      );
    }
    const field = path || '(body)';
    const sent = valueAt(input, issue.path);
    // zod does not report the input by default: "required" only when nothing was sent there, so
    // limit=abc says it is not a number instead.
    if (issue.code === 'invalid_type' && sent === undefined)
      return [fieldError(field, 'required', 'required')];
    return [{ field, ...codeOfIssue(issue, sent), message: issue.message }];
  });
}

type Coded = Pick<FieldError, 'code' | 'params'>;

/** The stable code of one zod issue: a schema's own registered sentence first, else its kind. */
function codeOfIssue(issue: z.core.$ZodIssue, sent: unknown): Coded {
  const registered = codeOfMessage(issue.message);
  if (registered) return registered;
  // A refinement may name its code in its params ({ params: { code: 'not_a_date' } }).
  if (issue.code === 'custom' && isFieldErrorCode(issue.params?.code)) {
    const { code, ...params } = issue.params as Record<string, string | number>;
    return Object.keys(params).length
      ? { code: code as FieldErrorCode, params }
      : { code: code as FieldErrorCode };
  }
  // An empty text where something is needed: the person left it out.
  if (typeof sent === 'string' && sent.trim() === '') {
    if (issue.code === 'too_small' || issue.code === 'invalid_format') return { code: 'required' };
  }
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return { code: 'not_an_integer' };
      if (issue.expected === 'number') return { code: 'not_a_number' };
      if (issue.expected === 'boolean') return { code: 'not_a_boolean' };
      return { code: 'wrong_type', params: { expected: issue.expected } };
    case 'too_small':
      return sizeCode(issue.origin, 'min', Number(issue.minimum), issue.inclusive !== false);
    case 'too_big':
      return sizeCode(issue.origin, 'max', Number(issue.maximum), true);
    case 'invalid_format':
      if (issue.format === 'email') return { code: 'not_an_email' };
      if (issue.format === 'uuid' || issue.format === 'guid') return { code: 'not_an_id' };
      if (issue.format === 'url') return { code: 'not_a_url' };
      return { code: 'invalid_format' };
    case 'invalid_value':
      return { code: 'invalid_option', params: { options: issue.values.map(String).join(', ') } };
    case 'not_multiple_of':
      return { code: 'not_an_integer' };
    default:
      return { code: 'invalid' };
  }
}

function sizeCode(origin: string, bound: 'min' | 'max', limit: number, inclusive: boolean): Coded {
  const params = { [bound]: limit };
  if (origin === 'string') return { code: bound === 'min' ? 'too_short' : 'too_long', params };
  if (origin === 'array' || origin === 'set' || origin === 'map' || origin === 'record')
    return { code: bound === 'min' ? 'too_few' : 'too_many', params };
  if (bound === 'max') return { code: 'too_large', params };
  return { code: inclusive ? 'too_small' : 'not_above', params };
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
