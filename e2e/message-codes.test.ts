// Every error code the API can answer with, and every reason code an import gives a row, has a
// text in the console, in English and Norwegian Bokmål (issue 16 point 2). The codes are enumerated from the server's source, not from a list
// kept by hand: each typed error thrown (AppError, ConflictError, NotFoundError and their kin)
// and each problem body the HTTP edge builds. A code added there without an entry in
// common/problem-codes.ts, or an entry without its English or Norwegian text, fails here. The
// console strings' own coverage (every en.json key in nb.json) is e2e/locales.test.ts; the field
// error codes' is e2e/server-messages.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIELD_ERROR_CODES } from '../common/field-error-codes.ts';
import {
  IMPORT_REASONS,
  importReason,
  importReasonParams,
  readImportReason,
  type ImportReasonCode,
} from '../common/import-reasons.ts';
import { PROBLEM_CODES } from '../common/problem-codes.ts';
import { en, nb } from '../web/i18n/resources.ts';
import { translateImportReason } from '../web/i18n/import-reasons.ts';
import { translateProblem } from '../web/i18n/problems.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Server source files a route runs: not tests, and not the CLI, whose errors never reach HTTP. */
function serverSources(dir = path.join(ROOT, 'server')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' ? [] : serverSources(file);
    const skip = /\.test\.ts$|testkit|\.cli\.ts$|[/\\]cli\.ts$|[/\\]backup[/\\]/.test(file);
    return file.endsWith('.ts') && !skip ? [file] : [];
  });
}

/** Every problem code the server's source can put in an error response, with a file using it. */
function codesInSource(): Map<string, string> {
  const codes = new Map<string, string>();
  const thrown = [
    /new (?:AppError|ExportRefusedError)\(\s*\d+,\s*'([a-z0-9_]+)'/g,
    /super\(\s*\d+,\s*'([a-z0-9_]+)'/g,
    /new ConflictError\(\s*'([a-z0-9_]+)'/g,
  ];
  for (const file of serverSources()) {
    const source = fs.readFileSync(file, 'utf8');
    const where = path.relative(ROOT, file);
    for (const pattern of thrown) for (const m of source.matchAll(pattern)) codes.set(m[1]!, where);
    for (const m of source.matchAll(/new NotFoundError\(\s*'([a-z_]+)'/g))
      codes.set(`${m[1]}_not_found`, where);
    // Problem bodies built by hand (the HTTP edge, the operations routes, refusal objects):
    // `code: '…'`, except field errors and the reasons of duplicate suggestions and erasure
    // refusals, which have catalogues of their own.
    if (/[/\\](duplicates|erasure)[/\\]/.test(file)) continue;
    for (const m of source.matchAll(/\bcode: '([a-z0-9_]+)'/g))
      if (!Object.hasOwn(FIELD_ERROR_CODES, m[1]!)) codes.set(m[1]!, where);
  }
  return codes;
}

describe('problem codes', () => {
  let nbT: TFunction;
  beforeAll(async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      resources: { en: { translation: en }, nb: { translation: nb } },
      lng: 'nb',
      fallbackLng: false,
      parseMissingKeyHandler: (key) => `MISSING ${key}`,
    });
    nbT = i18n.t;
  });

  it('has every code the server can answer with in the catalogue', () => {
    const found = codesInSource();
    expect(found.size).toBeGreaterThan(100);
    const unlisted = [...found].filter(([code]) => !Object.hasOwn(PROBLEM_CODES, code));
    expect(unlisted.map(([code, file]) => `${code} (${file})`)).toEqual([]);
  });

  it('lists no code the server no longer uses', () => {
    const found = codesInSource();
    expect(Object.keys(PROBLEM_CODES).filter((code) => !found.has(code))).toEqual([]);
  });

  it('has an English and a Norwegian text for every code, and none for a code it lacks', () => {
    const catalogue = Object.keys(PROBLEM_CODES).sort();
    expect(Object.keys(en.problemCodes).sort()).toEqual(catalogue);
    expect(Object.keys(nb.problemCodes).sort()).toEqual(catalogue);
    const same = catalogue.filter(
      (code) =>
        (en.problemCodes as Record<string, string>)[code] ===
        (nb.problemCodes as Record<string, string>)[code],
    );
    // Written once in English and left so: the Norwegian console would show English.
    expect(same).toEqual([]);
  });

  it('shows a problem in Norwegian by its code when no rule knows the detail', () => {
    expect(
      translateProblem(
        { code: 'customer_merged', detail: 'Customer #12 was merged into another customer' },
        nbT,
      ),
    ).toBe(nb.problemCodes.customer_merged);
    expect(translateProblem({ code: 'route_not_found', detail: '' }, nbT)).toBe(
      'Denne adressen finnes ikke',
    );
    // A rule that keeps the specifics (the email) still wins over the general text.
    expect(
      translateProblem(
        {
          code: 'user_email_taken',
          detail: 'An agent with the email siv@example.com already exists',
        },
        nbT,
      ),
    ).toContain('siv@example.com');
    // A code from a newer server: its own words rather than nothing.
    expect(translateProblem({ code: 'from_the_future', detail: 'beyond us' }, nbT)).toBe(
      'beyond us',
    );
  });
});

describe('import reason codes', () => {
  let nbT: TFunction;
  let enT: TFunction;
  beforeAll(async () => {
    const make = async (lng: 'en' | 'nb') => {
      const i18n = i18next.createInstance();
      await i18n.init({
        resources: { en: { translation: en }, nb: { translation: nb } },
        lng,
        fallbackLng: false,
        interpolation: { escapeValue: false },
        parseMissingKeyHandler: (key) => `MISSING ${key}`,
      });
      return i18n.t;
    };
    [nbT, enT] = [await make('nb'), await make('en')];
  });

  it('has an English and a Norwegian text for every code, naming its params', () => {
    const codes = Object.keys(IMPORT_REASONS) as ImportReasonCode[];
    for (const resources of [en, nb])
      expect(Object.keys(resources.importReasons).sort()).toEqual([...codes].sort());
    for (const t of [enT, nbT])
      for (const code of codes) {
        const params = Object.fromEntries(
          importReasonParams(code).map((name, i) => [name, `«${name}-${i + 4100}»`]),
        );
        const text = translateImportReason(importReason(code, params), t);
        expect([code, text]).not.toEqual([code, expect.stringMatching(/MISSING|\{\{/)]);
        for (const value of Object.values(params))
          expect([code, text]).toEqual([code, expect.stringContaining(value)]);
      }
  });

  it('reads the code and params back out of the sentence of a report, in Norwegian', () => {
    for (const code of Object.keys(IMPORT_REASONS) as ImportReasonCode[]) {
      const params = Object.fromEntries(importReasonParams(code).map((n) => [n, '31']));
      const written = importReason(code, params);
      expect(readImportReason(written.reason)).toEqual({ ...written, params });
    }
    // The sentence of the issue, as the error report holds it, shown in Norwegian.
    const sentence =
      'customer #1204 already has this email address (choose "create and update" to update it)';
    expect(translateImportReason({ reason: sentence }, nbT)).toBe(
      'Kunde #1204 har allerede denne e-postadressen (velg «Opprett og oppdater» for å oppdatere kunden)',
    );
    // A refused cell is a field error sentence: the rules still give it in Norwegian.
    expect(translateImportReason({ reason: 'not an email address' }, nbT)).toBe(
      nb.validation.invalidEmail,
    );
  });
});
