// The shape of every error the API returns (RFC 9457 problem+json) and the stable codes in it.
import { z } from 'zod';
import { FIELD_ERROR_CODES, FIELD_ERROR_CODE_LIST } from './field-error-codes.ts';
import { PROBLEM_CODES } from './problem-codes.ts';

const codeList = FIELD_ERROR_CODE_LIST.map((code) => {
  const params = Object.keys(FIELD_ERROR_CODES[code].params);
  return `${code}${params.length ? ` {${params.join(', ')}}` : ''}: ${FIELD_ERROR_CODES[code].means}`;
}).join('; ');

const problemCodeList = Object.entries(PROBLEM_CODES)
  .map(([code, means]) => `${code}: ${means}`)
  .join('; ');

export const fieldErrorSchema = z.object({
  field: z.string().meta({
    description: 'Dotted path of the failing field, e.g. "email" or "customAttributes.tier"',
  }),
  code: z.enum(FIELD_ERROR_CODE_LIST).meta({
    description: `Stable machine-readable reason; translate by it, not by the message. A client should show the message for a code it does not know (codes are added, never renamed). The codes, with their params: ${codeList}`,
  }),
  params: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .optional()
    .meta({ description: 'The values the message names (a limit, the options), by name' }),
  message: z.string().meta({ description: 'The reason in English' }),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string().meta({
      description: `Stable machine-readable error code; translate by it, not by the detail (codes are added, never renamed). The codes: ${problemCodeList}`,
    }),
    errors: z.array(fieldErrorSchema).optional(),
    correlationId: z.string().optional(),
  })
  .passthrough()
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;
