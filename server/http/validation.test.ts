// zod's issues as the API's field errors: each with the stable code a console translates by, and
// the params its message names. The schemas are the API's own where a sentence of theirs decides
// the code (a registered message, a refinement's params); plain ones show the codes by kind.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contractCreateSchema } from '../../common/contract.ts';
import { customerCreateSchema } from '../../common/customer.ts';
import { customFieldCreateSchema } from '../../common/custom-field.ts';
import { accountSettingsUpdateSchema } from '../../common/settings.ts';
import { fieldErrors } from './validation.ts';

function errorsOf(schema: z.ZodType, input: unknown) {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error(`accepted ${JSON.stringify(input)}`);
  return fieldErrors(parsed.error, input).map(({ field, code, params }) =>
    params ? { field, code, params } : { field, code },
  );
}

describe('field errors from zod', () => {
  const plain = z
    .object({
      name: z.string().trim().min(2).max(5),
      count: z.number().int().min(1).max(9),
      share: z.number().positive(),
      tags: z.array(z.string()).min(1).max(2),
      kind: z.enum(['a', 'b']),
      id: z.uuid(),
      email: z.email(),
      flag: z.boolean(),
    })
    .partial()
    .strict();

  it('names the limit that was crossed, for text, numbers and lists', () => {
    expect(
      errorsOf(plain, { name: 'x', count: 10, share: 0, tags: [], kind: 'c', extra: 1 }),
    ).toEqual([
      { field: 'name', code: 'too_short', params: { min: 2 } },
      { field: 'count', code: 'too_large', params: { max: 9 } },
      { field: 'share', code: 'not_above', params: { min: 0 } },
      { field: 'tags', code: 'too_few', params: { min: 1 } },
      { field: 'kind', code: 'invalid_option', params: { options: 'a, b' } },
      { field: 'extra', code: 'unknown_field' },
    ]);
    expect(errorsOf(plain, { name: 'toolong', count: 0, tags: ['1', '2', '3'] })).toEqual([
      { field: 'name', code: 'too_long', params: { max: 5 } },
      { field: 'count', code: 'too_small', params: { min: 1 } },
      { field: 'tags', code: 'too_many', params: { max: 2 } },
    ]);
  });

  it('tells a wrong type from a missing value, and an empty text is a missing one', () => {
    expect(
      errorsOf(plain, { name: 3, count: 1.5, share: 'x', flag: 'yes', id: 'x', email: 'x' }),
    ).toEqual([
      { field: 'name', code: 'wrong_type', params: { expected: 'string' } },
      { field: 'count', code: 'not_an_integer' },
      { field: 'share', code: 'not_a_number' },
      { field: 'id', code: 'not_an_id' },
      { field: 'email', code: 'not_an_email' },
      { field: 'flag', code: 'not_a_boolean' },
    ]);
    expect(errorsOf(z.object({ name: z.string() }), {})).toEqual([
      { field: 'name', code: 'required' },
    ]);
    expect(errorsOf(plain, { name: '   ', id: '' })).toEqual([
      { field: 'name', code: 'required' },
      { field: 'id', code: 'required' },
    ]);
  });

  it("uses the code a schema's own sentence or refinement gives", () => {
    expect(errorsOf(customerCreateSchema, { firstName: 'Ola' })).toEqual([
      { field: 'email', code: 'email_or_phone_required' },
    ]);
    expect(
      errorsOf(customerCreateSchema, {
        email: 'a@example.com',
        customAttributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])),
      }),
    ).toEqual([{ field: 'customAttributes', code: 'too_many', params: { max: 100 } }]);
    expect(
      errorsOf(accountSettingsUpdateSchema, { phoneDefaultCountry: 'no', timeZone: 'Mars/Base' }),
    ).toEqual([
      { field: 'phoneDefaultCountry', code: 'not_a_country_code' },
      { field: 'timeZone', code: 'not_a_time_zone' },
    ]);
    expect(
      errorsOf(customFieldCreateSchema, {
        entity: 'customer',
        key: 'Bad Key',
        label: 'x',
        type: 'text',
      }),
    ).toContainEqual({ field: 'key', code: 'not_a_key' });
    const contract = errorsOf(contractCreateSchema, {
      description: 'Support',
      customerContactId: '0195a3c4-0000-7000-8000-000000000001',
      supportContactId: '0195a3c4-0000-7000-8000-000000000002',
      startDate: '2026-02-30',
      endDate: '31.12.2026',
    });
    expect(contract).toEqual(
      expect.arrayContaining([
        { field: 'startDate', code: 'not_a_date' },
        { field: 'endDate', code: 'not_a_date' },
      ]),
    );
  });
});
