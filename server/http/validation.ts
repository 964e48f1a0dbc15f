// Turns zod's issues into the API's field errors: a dotted field path and a plain reason.
import type { z } from 'zod';
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
