// The shape of every error the API returns (RFC 9457 problem+json) and the stable codes in it.
import { z } from 'zod';

export const fieldErrorSchema = z.object({
  field: z.string().meta({
    description: 'Dotted path of the failing field, e.g. "email" or "customAttributes.tier"',
  }),
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
