// A bad cell fails its own row, never the file, and every message names the row a person sees
// in a spreadsheet (header = row 1): control characters, overlong rows, extra cells, bytes that
// are not UTF-8, prototype-key headers, blank lines, quoted newlines, CRLF. Both databases.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../agents/principal.ts';
import { ValidationError } from '../errors.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';
import { reportedErrors, runImport } from './import.testkit.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);

describe.each(testDialects())('CSV rows on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db, {
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-rows-')),
    });
  });
  afterAll(() => db.destroy());

  async function emails(principal: Principal) {
    const all = await services.customers.list(principal, { status: 'all', limit: 200 });
    return all.items.map((c) => c.email).sort();
  }

  async function refusal(body: Buffer | string): Promise<string> {
    const { principal } = await createBareAccount(services);
    const error = await services.imports
      .upload(principal, { filename: 'x.csv', body: Readable.from([Buffer.from(body)]) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).errors.map((e) => e.message).join('; ');
  }

  it('fails only the row with a NUL, with its row and column; the other nine import', async () => {
    const { principal } = await createBareAccount(services);
    const result = await runImport(services, principal, fixture('nul-in-cell.csv'));
    expect(result).toMatchObject({ status: 'done', totalRows: 10, created: 9, failed: 1 });
    expect(await reportedErrors(services, principal, result.id)).toEqual([
      {
        row: 6,
        column: 'first_name',
        value: 'Null',
        reason: 'contains a control character (U+0000)',
      },
    ]);
    expect(await emails(principal)).not.toContain('nul6@fixture.no');
    expect(await emails(principal)).toContain('nul11@fixture.no');
  });

  it('imports 11,999 of 12,000 rows when row 9,000 has a NUL (the second batch too)', async () => {
    const { principal } = await createBareAccount(services);
    const lines = ['email,first_name'];
    for (let row = 2; row <= 12_001; row += 1)
      lines.push(`big${row}@nul.no,${row === 9000 ? 'A\u0000B' : `N${row}`}`);
    const result = await runImport(services, principal, Buffer.from(lines.join('\n')));
    expect(result).toMatchObject({ status: 'done', totalRows: 12_000, created: 11_999, failed: 1 });
    const errors = await reportedErrors(services, principal, result.id);
    expect(errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [9000, 'first_name', 'contains a control character (U+0000)'],
    ]);
  });

  it('fails a row longer than 64 KB (a 5 MB cell) and imports the rows around it', async () => {
    const { principal } = await createBareAccount(services);
    const huge = 'x'.repeat(5 * 1024 * 1024);
    const file = `email,attribute:note\nbefore@long.no,short\nhuge@long.no,${huge}\nafter@long.no,ok\n`;
    const result = await runImport(services, principal, Buffer.from(file));
    expect(result).toMatchObject({ status: 'done', created: 2, failed: 1 });
    const [error] = await reportedErrors(services, principal, result.id);
    expect(error).toMatchObject({
      row: 3,
      column: 'attribute:note',
      reason: 'the row is longer than 64 KB',
    });
    expect(error?.value.length).toBeLessThanOrEqual(500);
    expect(await emails(principal)).toEqual(['after@long.no', 'before@long.no']);
  });

  it('refuses only a record past 8 MB (a quote left open), naming its row', async () => {
    const message = await refusal(`email,note\na@b.no,x\nc@d.no,"${'y'.repeat(9 * 1024 * 1024)}\n`);
    expect(message).toBe('row 3 is longer than 8 MB: is a quote left open?');
  });

  it('fails a row with more cells than the header; empty extras and short rows import', async () => {
    const { principal } = await createBareAccount(services);
    const result = await runImport(services, principal, fixture('cell-counts.csv'));
    expect(result).toMatchObject({ created: 3, failed: 1 });
    expect(await reportedErrors(services, principal, result.id)).toEqual([
      {
        row: 3,
        column: 'column 4',
        value: 'dropped?',
        reason: 'the row has 4 cells but the header has 3',
      },
    ]);
    expect(await emails(principal)).toEqual([
      'full@cells.no',
      'short@cells.no',
      'trailing@cells.no',
    ]);
  });

  it('never lets a header be a prototype key: __proto__ is reported, constructor and toString are kept', async () => {
    const { principal } = await createBareAccount(services);
    const uploaded = await services.imports.upload(principal, {
      filename: 'p.csv',
      body: fs.createReadStream(fixture('prototype-headers.csv')),
    });
    const preview = await services.imports.preview(principal, uploaded.import.id);
    expect(preview.unknownColumns).toEqual(['attribute:__proto__', '__proto__', 'constructor']);
    expect(preview.columns.map((c) => c.target)).toEqual([
      'email',
      null,
      'attribute:constructor',
      'attribute:toString',
      null,
      null,
    ]);
    const asked = await services.imports
      .start(principal, uploaded.import.id, {
        mode: 'create',
        dryRun: false,
        overwriteEmpty: false,
        mapping: ['email', 'attribute:__proto__', null, null, null, null],
      })
      .catch((e: unknown) => e);
    expect((asked as ValidationError).errors).toEqual([
      {
        field: 'mapping (attribute:__proto__)',
        code: 'mapping_invalid',
        message: '__proto__ cannot be an attribute name',
      },
    ]);
    const result = await runImport(services, principal, fixture('prototype-headers.csv'));
    expect(result).toMatchObject({ created: 1, failed: 0 });
    const [customer] = (await services.customers.list(principal, { status: 'all', limit: 5 }))
      .items;
    expect(customer?.customAttributes).toEqual({ constructor: 'built', toString: 'text' });
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('reads a UTF-8 file with one Latin-1 byte as UTF-8: that row fails, no other changes', async () => {
    const { principal } = await createBareAccount(services);
    const result = await runImport(services, principal, fixture('utf8-one-latin1-byte.csv'));
    expect(result).toMatchObject({ encoding: 'utf-8', totalRows: 59, created: 58, failed: 1 });
    const [error] = await reportedErrors(services, principal, result.id);
    expect(error).toMatchObject({ row: 50, column: 'fornavn', reason: 'not valid UTF-8 text' });
    const all = await services.customers.list(principal, { status: 'all', limit: 100 });
    expect(new Set(all.items.map((c) => `${c.firstName} ${c.lastName}`))).toEqual(
      new Set(['Bjørn Ødegård']),
    );
  });

  it('says in the preview that a file was read as Windows-1252, with the first such row', async () => {
    const { principal } = await createBareAccount(services);
    const uploaded = await services.imports.upload(principal, {
      filename: 'w.csv',
      body: fs.createReadStream(fixture('windows-1252-semicolon.csv')),
    });
    const preview = await services.imports.preview(principal, uploaded.import.id);
    expect(preview.import.encoding).toBe('windows-1252');
    expect(preview.encodingWarning).toEqual({ encoding: 'windows-1252', firstInvalidRow: 2 });
    const utf8 = await services.imports.upload(principal, {
      filename: 'u.csv',
      body: fs.createReadStream(fixture('utf8-semicolon-norwegian.csv')),
    });
    expect((await services.imports.preview(principal, utf8.import.id)).encodingWarning).toBeNull();
  });

  it('keeps a real U+FFFD in a file that is valid UTF-8', async () => {
    const { principal } = await createBareAccount(services);
    const result = await runImport(
      services,
      principal,
      Buffer.from('email,first_name\nr@fffd.no,A\uFFFDB\n'),
    );
    expect(result).toMatchObject({ created: 1, failed: 0 });
    const [customer] = (await services.customers.list(principal, { status: 'all', limit: 5 }))
      .items;
    expect(customer?.firstName).toBe('A\uFFFDB');
  });

  it.each(['rows-lf.csv', 'rows-crlf.csv'])(
    'counts rows as a spreadsheet does in %s: blank lines count, quoted newlines do not',
    async (name) => {
      const { principal } = await createBareAccount(services);
      const result = await runImport(services, principal, fixture(name), {
        mapping: ['email', 'first_name', 'attribute:note'],
      });
      expect(result).toMatchObject({ totalRows: 6, created: 4, failed: 2 });
      const errors = await reportedErrors(services, principal, result.id);
      expect(errors.map((e) => [e.row, e.value])).toEqual([
        [5, 'not-an-email'],
        [9, 'also-bad'],
      ]);
      const all = await services.customers.list(principal, { status: 'all', limit: 10 });
      const note = all.items.find((c) => c.email === 'c@rows.no')?.customAttributes.note;
      expect(note).toBe(name.includes('crlf') ? 'three\r\nlines\r\nhere' : 'three\nlines\nhere');
    },
  );

  it('names the spreadsheet row of a quote left open in a CRLF file', async () => {
    const message = await refusal(fs.readFileSync(fixture('crlf-unclosed-quote.csv')));
    expect(message).toBe('the file is not valid CSV: a quote opened in row 6 is never closed');
  });

  it('names the row of other broken CSV after blank lines and quoted newlines', async () => {
    const message = await refusal('email,name\r\n\r\na@b.no,"x\r\ny"\r\nc@d.no,x"y\r\n');
    expect(message).toMatch(/^the file is not valid CSV in row 4: /);
  });

  it('refuses a header with a control character, naming it', async () => {
    expect(await refusal('email,na\u0001me\na@b.no,x\n')).toBe(
      'row 1, column 2 of the header: contains a control character (U+0001)',
    );
  });
});
