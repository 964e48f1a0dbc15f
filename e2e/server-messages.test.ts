// Every sentence the server's exports and erasure can show a person has a Norwegian Bokmål rule
// (web/i18n/server-message-rules.ts). The sentences come from the server code itself: the
// erasure's refusals as retention.ts writes them (one, the other, both joined as the DELETE's
// detail), the archive's problems, the problem titles and not-found details, and the retention
// purge's name as the Deleted Customers log shows it. A sentence added there without a rule, or a
// rule whose resource is missing, fails here. Their field errors (bad retention settings, a bad
// id or cursor) are translated by code instead: every code of the catalogue
// (common/field-error-codes.ts) has its English and Norwegian strings with its params filled in,
// and the field errors of those routes carry codes the console translates.
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIELD_ERROR_CODES,
  FIELD_ERROR_CODE_LIST,
  type FieldErrorCode,
} from '../common/field-error-codes.ts';
import type { FieldError } from '../common/problem.ts';
import { accountSettingsUpdateSchema } from '../common/settings.ts';
import { RETENTION_ACTOR } from '../server/erasure/erasure.service.ts';
import { erasureRefusals } from '../server/erasure/retention.ts';
import { NotFoundError, ValidationError } from '../server/errors.ts';
import { EXPORT_SENTENCES, ExportRefusedError } from '../server/exports/export.service.ts';
import { idParams } from '../server/http/common-schemas.ts';
import { IMPORT_NEEDS_SCOPE_ALL } from '../server/imports/import.service.ts';
import { fieldErrors } from '../server/http/validation.ts';
import { decodeCursor } from '../server/paging.ts';
import { en, nb } from '../web/i18n/resources.ts';
import { translateFieldError } from '../web/i18n/field-errors.ts';
import { translateServerMessage } from '../web/i18n/server-message-rules.ts';

async function instance(lng: 'en' | 'nb'): Promise<TFunction> {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: { en: { translation: en }, nb: { translation: nb } },
    lng,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    // A missing resource would come back as its key: say so instead.
    parseMissingKeyHandler: (key) => `MISSING ${key}`,
  });
  return i18n.t;
}

/** What exports and erasure can show a person that is not a field error, as the server writes it. */
function sentences(): string[] {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const facts = {
    lastActivityAt: '2026-11-30T12:00:00Z',
    createdAt: '2026-01-01T00:00:00Z',
    timeZone: 'America/New_York',
    now,
  };
  const refusals = [
    erasureRefusals({ ...facts, unresolvedTickets: { count: 1, numbers: [7] }, retentionDays: 0 }),
    erasureRefusals({
      ...facts,
      unresolvedTickets: { count: 40, numbers: Array.from({ length: 40 }, (_, i) => i + 1) },
      retentionDays: 0,
    }),
    erasureRefusals({ ...facts, unresolvedTickets: { count: 0, numbers: [] }, retentionDays: 30 }),
    erasureRefusals({
      ...facts,
      unresolvedTickets: { count: 2, numbers: [3, 4] },
      retentionDays: 30,
    }),
  ];
  expect(refusals.map((r) => r.length)).toEqual([1, 1, 1, 2]);
  const id = '0195a3c4-0000-7000-8000-000000000001';
  const problems = [
    new NotFoundError('customer', id),
    new NotFoundError('export', id),
    new ExportRefusedError(
      410,
      'export_expired',
      EXPORT_SENTENCES.expired(new Date(now).toISOString()),
    ),
    new ExportRefusedError(409, 'export_failed', EXPORT_SENTENCES.failed),
    new ExportRefusedError(409, 'export_not_ready', EXPORT_SENTENCES.notReady),
  ];
  return [
    ...refusals.flat().map((r) => r.message),
    // The DELETE's 409 detail: every reason, joined.
    ...refusals.map((list) => list.map((r) => r.message).join('; ')),
    ...problems.flatMap((p) => [p.title, p.message]),
    new ValidationError([]).title,
    EXPORT_SENTENCES.customerGone,
    // The purge's name in the Deleted Customers log's "Removed by".
    RETENTION_ACTOR.name,
    // A scoped agent's import (issue 13): refused up front.
    IMPORT_NEEDS_SCOPE_ALL,
  ];
}

/** The field errors the settings, the id in the path and the cursor of those routes can give. */
function routeFieldErrors(): FieldError[] {
  const zodErrors = (
    schema: typeof idParams | typeof accountSettingsUpdateSchema,
    body: unknown,
  ) => {
    const parsed = schema.safeParse(body);
    expect(parsed.success).toBe(false);
    return parsed.error ? fieldErrors(parsed.error, body) : [];
  };
  const cursor = (): FieldError[] => {
    try {
      decodeCursor('not-a-cursor', (value): value is { id: string } => 'id' in value);
    } catch (error) {
      if (error instanceof ValidationError) return error.errors;
    }
    throw new Error('a bad cursor was accepted');
  };
  return [
    ...[
      { exportRetentionDays: 0 },
      { exportRetentionDays: 366 },
      { exportRetentionDays: 1.5 },
      { exportRetentionDays: 'seven' },
      { customerRetentionDays: -1 },
      { customerRetentionDays: 36_501 },
      { customerRetentionDays: 2.5 },
      { timeZone: 'Mars/Olympus_Mons' },
      { phoneDefaultCountry: 'norway' },
    ].flatMap((body) => zodErrors(accountSettingsUpdateSchema, body)),
    ...zodErrors(idParams, { id: 'not-an-id' }),
    ...cursor(),
  ];
}

/** Example params for a code, of the kinds the catalogue gives them. */
function exampleParams(code: FieldErrorCode): Record<string, string | number> {
  const kinds: Record<string, string> = FIELD_ERROR_CODES[code].params;
  return Object.fromEntries(
    Object.entries(kinds).map(([name, kind], index) => [
      name,
      kind === 'number' ? 7301 + index : `«${name}-value»`,
    ]),
  );
}

describe('server sentences of exports and erasure in Norwegian Bokmål', () => {
  let t: TFunction;
  beforeAll(async () => {
    t = await instance('nb');
  });

  it('has a rule for each, giving a Norwegian sentence with its numbers and dates kept', () => {
    const english = [...new Set(sentences())];
    expect(english.length).toBeGreaterThan(12);
    const untranslated = english.filter((sentence) => {
      const norwegian = translateServerMessage(sentence, t);
      return norwegian === sentence || norwegian.includes('MISSING') || norwegian.includes('{{');
    });
    expect(untranslated).toEqual([]);
    // What varies (days, ticket numbers, dates, ids) survives the translation.
    for (const sentence of english) {
      const norwegian = translateServerMessage(sentence, t);
      // (A count of one may become a word: "en uløst sak".)
      const values = sentence.match(/#\d+|\d{4}-\d\d-\d\d\S*|\b\d+\b/g) ?? [];
      for (const value of values.filter((v) => v !== '1'))
        expect([sentence, norwegian.includes(value)]).toEqual([sentence, true]);
    }
  });

  it('gives their field errors codes the console translates, with the limits kept', () => {
    const errors = routeFieldErrors();
    expect(errors.length).toBeGreaterThan(10);
    for (const error of errors) {
      const norwegian = translateFieldError(error, t);
      expect([error, norwegian]).not.toContainEqual(expect.stringMatching(/MISSING|\{\{/));
      expect([error.message, norwegian === error.message]).toEqual([error.message, false]);
      for (const value of Object.values(error.params ?? {}))
        expect([error.message, norwegian]).toEqual([
          error.message,
          expect.stringContaining(String(value)),
        ]);
    }
    // The limits the settings name reach the agent: 365 days, 36500 days.
    expect(errors.map((e) => [e.code, e.params])).toEqual(
      expect.arrayContaining([
        ['too_large', { max: 365 }],
        ['too_large', { max: 36_500 }],
        ['not_an_integer', undefined],
        ['not_a_time_zone', undefined],
        ['not_an_id', undefined],
        ['invalid_cursor', undefined],
      ]),
    );
  });
});

describe('field error codes in the console', () => {
  it('has an English and a Norwegian string for every code, each naming its params', async () => {
    for (const lng of ['en', 'nb'] as const) {
      const t = await instance(lng);
      const problems = FIELD_ERROR_CODE_LIST.flatMap((code) => {
        const params = exampleParams(code);
        const text = translateFieldError({ code, params, message: 'the English message' }, t);
        const missing = Object.values(params).filter((v) => !text.includes(String(v)));
        return text.includes('MISSING') || text.includes('{{') || missing.length
          ? [`${lng} ${code}: ${text}`]
          : [];
      });
      expect(problems).toEqual([]);
    }
  });

  it('has no string for a code the catalogue does not have', () => {
    for (const resources of [en, nb])
      expect(Object.keys(resources.fieldErrors).sort()).toEqual([...FIELD_ERROR_CODE_LIST].sort());
  });

  it('shows the message of a code it does not know (a newer server), translated where a rule knows it', async () => {
    const t = await instance('nb');
    expect(translateFieldError({ code: 'from_the_future', message: 'beyond us' }, t)).toBe(
      'beyond us',
    );
    expect(translateFieldError({ message: 'not an email address' }, t)).toBe(
      nb.validation.invalidEmail,
    );
  });
});
