// `kunde import` as an administrator runs it (a real process on a real database): a refused
// file is said once, and a failed row is one line whatever its value holds (newlines, quotes).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/kunde.js');

describe.each(testDialects())('kunde import on %s', (dialect) => {
  let db: TestDb;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-import-cli-'));
    await kunde('user', 'create', '--email', 'boss@cli-import.no', '--password', 'a long password');
  });
  afterAll(() => db.destroy());

  async function kunde(...args: string[]) {
    const env = { ...process.env, DATA_DIR: '', DATABASE_URL: '', ...db.env };
    return run(process.execPath, [BIN, ...args], { env }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  }

  function file(name: string, text: string) {
    const where = path.join(dir, name);
    fs.writeFileSync(where, text);
    return where;
  }

  it('prints a refused file once, with the row a spreadsheet shows', async () => {
    const broken = file('broken.csv', 'email,name\r\n\r\na@b.no,x\r\n"open,quote\r\nc@d.no,y\r\n');
    const result = await kunde('import', broken);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'kunde: broken.csv was not imported\n' +
        '  file: the file is not valid CSV: a quote opened in row 4 is never closed\n',
    );
    const header = file('header.csv', 'email,"attribute:two\nlines"\na@b.no,x\n');
    expect((await kunde('import', header)).stderr).toBe(
      'kunde: header.csv was not imported\n' +
        '  mapping (attribute:two\\nlines): an attribute name is 1-64 characters\n',
    );
  });

  it('prints each failed row on one line, its value quoted, newlines escaped', async () => {
    const rows = file(
      'rows.csv',
      'email,first_name,"attribute:say ""hi"""\n' +
        'ok@cli-import.no,Ok,fine\n' +
        '"bad\nemail",Bad,x\n' +
        'nul@cli-import.no,"Nu\u0000l ""quoted""",y\n',
    );
    const result = await kunde('import', rows);
    expect(result.code).toBe(2);
    const lines = result.stdout.split('\n').filter((l) => l.startsWith('  row'));
    expect(lines).toEqual([
      '  row 3, column "email": not an email address (value "bad\\nemail")',
      '  row 4, column "first_name": contains a control character (U+0000) (value "Nul \\"quoted\\"")',
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('3 rows: 1 created, 0 updated, 0 unchanged, 2 failed');
  });
});
