// The shape of every error the API returns (RFC 9457 problem+json) and the stable codes in it.
import { z } from 'zod';

export const fieldErrorSchema = z.object({
  field: z.string().meta({
    description: 'Dotted path of the failing field, e.g. "email" or "customAttributes.tier"',
  }),
  code: z
    .string()
    .optional()
    .meta({
      description:
        'Stable machine-readable reason, e.g. "required" or "email_invalid"; the console translates by it',
    }),
  /** Values the message names (a limit, a row number), for a translation built from the code. */
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  message: z.string(),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string().meta({ description: 'Stable machine-readable error code' }),
    errors: z.array(fieldErrorSchema).optional(),
    correlationId: z.string().optional(),
  })
  .passthrough()
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;
