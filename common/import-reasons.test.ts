// The words of every import reason and field error code in both languages, as the server writes
// them into a Norwegian report (importReasonIn) and the console shows them (the same texts): a
// code without its Norwegian text, a text that drops or invents a param, or one left in English
// fails here. The English sentences of the machine layout are checked to stay as they were.
import { describe, expect, it } from 'vitest';
import { FIELD_ERROR_CODES, FIELD_ERROR_CODE_LIST } from './field-error-codes.ts';
import { FIELD_ERROR_TEXTS, fillText } from './field-error-texts.ts';
import {
  IMPORT_REASONS,
  IMPORT_REASON_TEXTS,
  importReason,
  importReasonIn,
  importReasonParams,
  readImportReason,
  type ImportReasonCode,
} from './import-reasons.ts';
import { LOCALES } from './settings.ts';

const REASON_CODES = Object.keys(IMPORT_REASONS) as ImportReasonCode[];
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('import reason texts', () => {
  it.each(LOCALES)('has a %s text for every code, naming exactly its params', (locale) => {
    expect(Object.keys(IMPORT_REASON_TEXTS[locale]).sort()).toEqual([...REASON_CODES].sort());
    for (const code of REASON_CODES)
      expect([code, placeholders(IMPORT_REASON_TEXTS[locale][code])]).toEqual([
        code,
        importReasonParams(code).sort(),
      ]);
  });

  it('is not English in Norwegian', () => {
    const same = REASON_CODES.filter(
      (code) => IMPORT_REASON_TEXTS.nb[code] === IMPORT_REASON_TEXTS.en[code],
    );
    expect(same).toEqual([]);
  });

  it('writes each reason in Norwegian with its params, and in English as the sentence', () => {
    for (const code of REASON_CODES) {
      const params = Object.fromEntries(importReasonParams(code).map((n, i) => [n, `v${i}x`]));
      const written = importReason(code, params);
      const nb = importReasonIn('nb', written);
      expect(nb).toBe(fillText(IMPORT_REASON_TEXTS.nb[code], params));
      expect(nb).not.toMatch(/\{\{/);
      for (const value of Object.values(params)) expect(nb).toContain(value);
      expect(importReasonIn('en', written)).toBe(written.reason);
      // Stored before codes were: the same words, read back out of the sentence.
      expect(importReasonIn('nb', { reason: written.reason })).toBe(nb);
    }
  });

  it('keeps the English sentences the machine layout and the CLI read', () => {
    expect(importReason('same_email_as_row', { row: 2 }).reason).toBe(
      'same email address as row 2; the row was not imported twice',
    );
    expect(importReason('email_exists_create_only', { number: 7 }).reason).toBe(
      'customer #7 already has this email address (choose "create and update" to update it)',
    );
    expect(importReason('too_many_cells', { cells: 4, header: 3 }).reason).toBe(
      'the row has 4 cells but the header has 3',
    );
    expect(importReason('row_too_long', { kb: 64 }).reason).toBe('the row is longer than 64 KB');
    expect(importReason('not_utf8').reason).toBe('not valid UTF-8 text');
    expect(readImportReason('__proto__ cannot be an attribute name')).toMatchObject({
      code: 'reserved_attribute_name',
      params: { name: '__proto__' },
    });
  });
});

describe('field error texts', () => {
  it.each(LOCALES)('has a %s text for every code, naming exactly its params', (locale) => {
    expect(Object.keys(FIELD_ERROR_TEXTS[locale]).sort()).toEqual(
      [...FIELD_ERROR_CODE_LIST].sort(),
    );
    for (const code of FIELD_ERROR_CODE_LIST)
      expect([code, placeholders(FIELD_ERROR_TEXTS[locale][code])]).toEqual([
        code,
        Object.keys(FIELD_ERROR_CODES[code].params).sort(),
      ]);
  });

  it('says a refused cell in Norwegian by its code, and keeps a reason without one', () => {
    expect(
      importReasonIn('nb', { code: 'too_long', params: { max: 100 }, reason: 'at most 100' }),
    ).toBe('Høyst 100 tegn');
    expect(importReasonIn('nb', { code: 'not_an_email', reason: 'not an email address' })).toBe(
      'Ikke en gyldig e-postadresse',
    );
    expect(importReasonIn('nb', { reason: 'no custom field tier' })).toBe('no custom field tier');
  });

  it('shares no code with the import reasons (a row error carries either)', () => {
    expect(REASON_CODES.filter((code) => Object.hasOwn(FIELD_ERROR_CODES, code))).toEqual([]);
  });

  it('names a required custom field by its Bokmål label in Bokmål, by its English one in English', () => {
    const labelled = importReason('field_required', {
      field: 'Customer tier',
      fieldNb: 'Kundenivå',
    });
    expect(labelled.reason).toBe('Customer tier is required');
    expect(importReasonIn('nb', labelled)).toBe('Kundenivå må fylles ut');
    expect(importReasonIn('en', labelled)).toBe('Customer tier is required');
    // A field without a Bokmål label, and a report of an import from before fieldNb was kept.
    const plain = importReason('field_required', { field: 'Customer tier' });
    expect(importReasonIn('nb', plain)).toBe('Customer tier må fylles ut');
    expect(importReasonIn('nb', { reason: 'Customer tier is required' })).toBe(
      'Customer tier må fylles ut',
    );
  });
});
