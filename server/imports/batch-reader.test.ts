// The reading thread gives exactly what reading in-process gives, reports a broken file the same
// way, and stops when the import stops reading.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CustomField } from '../../common/custom-field.ts';
import { parseBatches, threadBatches, type BatchSource, type RowBatch } from './batch-reader.ts';
import { CsvFormatError } from './csv-reader.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

const tier: CustomField = {
  id: '00000000-0000-7000-8000-000000000001',
  entity: 'customer',
  key: 'tier',
  label: 'Tier',
  labelNb: null,
  type: 'dropdown',
  required: false,
  options: ['Gold', 'Silver'],
  position: 0,
  description: null,
} as unknown as CustomField;

function source(file: string, overrides: Partial<BatchSource> = {}): BatchSource {
  return {
    file,
    encoding: 'utf-8',
    delimiter: ',',
    skip: 0,
    batchSize: 3,
    header: ['email', 'phone', 'first_name', 'last_name', 'type', 'tier', 'since'],
    mapping: ['email', 'phone', 'first_name', 'last_name', 'type', 'field:tier', 'attribute:since'],
    fields: [tier],
    phoneCountry: 'NO',
    overwriteEmpty: false,
    ...overrides,
  };
}

async function collect(batches: AsyncGenerator<RowBatch>) {
  const out: RowBatch[] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

describe('reading an import file in batches', () => {
  it('parses the same drafts and errors on a thread as in-process, in the same batches', async () => {
    const file = path.join(FIXTURES, 'bad-rows.csv');
    const here = await collect(parseBatches(source(file)));
    const there = await collect(threadBatches(source(file)));
    expect(there).toEqual(here);
    expect(here.length).toBeGreaterThan(2);
    const rows = here.reduce((sum, b) => sum + b.rows, 0);
    const dataRows = fs.readFileSync(file, 'utf8').trim().split('\n').length - 1;
    expect(rows).toBe(dataRows);
    expect(here.flatMap((b) => b.errors).map((e) => [e.row, e.column])).toContainEqual([
      3,
      'email',
    ]);
  });

  it('skips the rows a resumed import has already written', async () => {
    const file = path.join(FIXTURES, 'bad-rows.csv');
    const all = (await collect(threadBatches(source(file, { batchSize: 100 }))))[0];
    const resumed = (await collect(threadBatches(source(file, { batchSize: 100, skip: 4 }))))[0];
    expect(resumed?.rows).toBe((all?.rows ?? 0) - 4);
    expect(resumed?.drafts[0]?.row).toBeGreaterThan(5);
  });

  it('fails the same rows on a thread: a NUL, a stray Latin-1 byte', async () => {
    const file = path.join(FIXTURES, 'utf8-one-latin1-byte.csv');
    const header = ['email', 'fornavn', 'etternavn'];
    const options = {
      delimiter: ';' as const,
      header,
      mapping: ['email', 'first_name', 'last_name'] as const,
    };
    const here = await collect(
      parseBatches(source(file, { ...options, mapping: [...options.mapping] })),
    );
    const there = await collect(
      threadBatches(source(file, { ...options, mapping: [...options.mapping] })),
    );
    expect(there).toEqual(here);
    expect(here.flatMap((b) => b.errors)).toEqual([
      {
        row: 50,
        column: 'fornavn',
        value: '\uFFFDse',
        reason: 'not valid UTF-8 text',
        code: 'not_utf8',
        params: {},
      },
    ]);
    const nul = path.join(FIXTURES, 'nul-in-cell.csv');
    const plain = {
      header: ['email', 'first_name', 'last_name'],
      mapping: ['email', 'first_name', 'last_name'] as BatchSource['mapping'],
    };
    const nulHere = await collect(parseBatches(source(nul, plain)));
    expect(await collect(threadBatches(source(nul, plain)))).toEqual(nulHere);
    expect(nulHere.flatMap((b) => b.errors).map((e) => [e.row, e.reason])).toEqual([
      [6, 'contains a control character (U+0000)'],
    ]);
  });

  it('reports a broken file from the thread as the same CSV error, with its row', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-reader-'));
    const file = path.join(dir, 'broken.csv');
    fs.writeFileSync(file, 'email,first_name\na@b.no,Ann\n"c@d.no,Unclosed\n');
    const inProcess = await collect(parseBatches(source(file))).catch((e: unknown) => e);
    const onThread = await collect(threadBatches(source(file))).catch((e: unknown) => e);
    expect(onThread).toBeInstanceOf(CsvFormatError);
    expect((onThread as Error).message).toBe((inProcess as Error).message);
    expect((onThread as Error).message).toBe(
      'the file is not valid CSV: a quote opened in row 3 is never closed',
    );
  });

  it('ends a batch early when its rows hold a lot of text, so wide rows do not pile up', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-reader-'));
    const file = path.join(dir, 'wide.csv');
    const lines = ['email,notes'];
    for (let i = 0; i < 20; i++) lines.push(`wide${i}@example.no,${'x'.repeat(300)}`);
    fs.writeFileSync(file, lines.join('\n'));
    const batches = await collect(
      parseBatches(
        source(file, {
          header: ['email', 'notes'],
          mapping: ['email', 'attribute:notes'],
          batchSize: 1000,
          maxChars: 1000,
        }),
      ),
    );
    expect(batches.map((b) => b.rows)).toEqual([4, 4, 4, 4, 4]);
  });

  it('stops the thread when the import stops reading', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-reader-'));
    const file = path.join(dir, 'many.csv');
    const lines = ['email'];
    for (let i = 0; i < 5000; i++) lines.push(`person${i}@example.no`);
    fs.writeFileSync(file, lines.join('\n'));
    const batches = threadBatches(
      source(file, { header: ['email'], mapping: ['email'], batchSize: 10 }),
    );
    const first = await batches.next();
    expect(first.value).toMatchObject({ rows: 10 });
    await batches.return(undefined);
    expect(await batches.next()).toEqual({ done: true, value: undefined });
  });
});
