// Every sentence the server's exports and erasure can show a person has a Norwegian Bokmål rule
// (web/i18n/server-message-rules.ts). The sentences come from the server code itself: the
// settings schema's messages for bad retention values, the erasure's refusals as retention.ts
// writes them (one, the other, both joined as the DELETE's detail), the archive's problems, the
// problem titles and not-found details, the paging and id messages of their routes, and the
// retention purge's name as the Deleted Customers log shows it. A sentence
// added there without a rule, or a rule whose resource is missing, fails here.
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountSettingsUpdateSchema } from '../common/settings.ts';
import { RETENTION_ACTOR } from '../server/erasure/erasure.service.ts';
import { erasureRefusals } from '../server/erasure/retention.ts';
import { NotFoundError, ValidationError } from '../server/errors.ts';
import { EXPORT_SENTENCES, ExportRefusedError } from '../server/exports/export.service.ts';
import { idParams } from '../server/http/common-schemas.ts';
import { IMPORT_NEEDS_SCOPE_ALL } from '../server/imports/import.service.ts';
import en from '../web/i18n/en.json';
import nb from '../web/i18n/nb.json';
import { translateServerMessage } from '../web/i18n/server-message-rules.ts';

function zodMessages(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  expect(result.success).toBe(false);
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

/** What exports and erasure can show a person, in English, as the server writes it. */
function sentences(): string[] {
  const settings = [
    { exportRetentionDays: 0 },
    { exportRetentionDays: 366 },
    { exportRetentionDays: 1.5 },
    { exportRetentionDays: 'seven' },
    { customerRetentionDays: -1 },
    { customerRetentionDays: 36_501 },
    { customerRetentionDays: 2.5 },
    { timeZone: 'Mars/Olympus_Mons' },
  ].flatMap((body) => zodMessages(accountSettingsUpdateSchema.safeParse(body)));
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
    new ValidationError([{ field: 'cursor', message: 'not a cursor this API gave out' }]),
  ];
  return [
    ...settings,
    ...refusals.flat().map((r) => r.message),
    // The DELETE's 409 detail: every reason, joined.
    ...refusals.map((list) => list.map((r) => r.message).join('; ')),
    ...problems.flatMap((p) => [p.title, p.message]),
    EXPORT_SENTENCES.customerGone,
    // The purge's name in the Deleted Customers log's "Removed by".
    RETENTION_ACTOR.name,
    ...zodMessages(idParams.safeParse({ id: 'not-an-id' })),
    // A scoped agent's import (issue 13): refused up front.
    IMPORT_NEEDS_SCOPE_ALL,
  ];
}

describe('server sentences of exports and erasure in Norwegian Bokmål', () => {
  let t: TFunction;
  beforeAll(async () => {
    const instance = i18next.createInstance();
    await instance.init({
      resources: { en: { translation: en }, nb: { translation: nb } },
      lng: 'nb',
      fallbackLng: false,
      interpolation: { escapeValue: false },
      // A missing resource would come back as its key: say so instead.
      parseMissingKeyHandler: (key) => `MISSING ${key}`,
    });
    t = instance.t;
  });

  it('has a rule for each, giving a Norwegian sentence with its numbers and dates kept', () => {
    const english = [...new Set(sentences())];
    expect(english.length).toBeGreaterThan(20);
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
});
