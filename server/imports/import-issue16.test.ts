// Issue 16 point 5 on both databases with real files: unknown columns kept as attributes, the
// preview's sample checks, removing and expiring uploads never started, the "fix and re-upload"
// file (re-uploaded, its reason column ignored), and a row with extra cells reported.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';
import { runImport } from './import.testkit.ts';
import { removeNeverStarted } from './import-expiry.task.ts';

const FILE = path.join(import.meta.dirname, 'fixtures', 'fix-and-reupload.csv');

describe.each(testDialects())('imports (issue 16) on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
  });
  afterAll(() => db.destroy());

  it('keeps an unknown column as a custom attribute by default; Skip still skips', async () => {
    const { principal } = await createBareAccount(services);
    const uploaded = await services.imports.upload(principal, {
      filename: 'fix.csv',
      body: fs.createReadStream(FILE),
    });
    const preview = await services.imports.preview(principal, uploaded.import.id);
    expect(preview.unknownColumns).toEqual(['Shoe size']);
    expect(preview.keptAsAttribute).toEqual(['Shoe size']);
    expect(preview.import.mapping).toEqual(['email', 'full_name', 'attribute:Shoe size']);
    // The sample is checked as the import would: 2 of 4 rows fail (bad email, extra cell).
    expect(preview.sample).toEqual({ rows: 4, created: 2, updated: 0, unchanged: 0, failed: 2 });
    expect(preview.problems.map((p) => [p.row, p.reason])).toEqual([
      [3, 'not an email address'],
      [4, 'the row has 4 cells but the header has 3'],
    ]);
    // Nothing was written by the preview.
    expect((await services.customers.list(principal, { status: 'all', limit: 10 })).items).toEqual(
      [],
    );
    await services.imports.start(principal, uploaded.import.id, {
      mode: 'create',
      dryRun: false,
      overwriteEmpty: false,
    });
    await services.worker.drain();
    const customers = (await services.customers.list(principal, { status: 'all', limit: 10 }))
      .items;
    expect(customers.find((c) => c.email === 'ola@fix.no')?.customAttributes).toEqual({
      'Shoe size': '42',
    });
    const skipped = await services.imports.preview(principal, uploaded.import.id, [
      'email',
      'full_name',
      null,
    ]);
    expect(skipped.keptAsAttribute).toEqual([]);
  });

  it('the preview counts updates and failures with the mode asked for', async () => {
    const { principal } = await createBareAccount(services);
    await services.customers.create(principal, { email: 'ola@fix.no' }, 'agent');
    const uploaded = await services.imports.upload(principal, {
      filename: 'fix.csv',
      body: fs.createReadStream(FILE),
    });
    const create = await services.imports.preview(principal, uploaded.import.id);
    expect(create.sample).toMatchObject({ created: 1, updated: 0, failed: 3 });
    const upsert = await services.imports.preview(
      principal,
      uploaded.import.id,
      undefined,
      'upsert',
    );
    expect(upsert.sample).toMatchObject({ created: 1, updated: 1, failed: 2 });
  });

  it('writes a fix file of the failed rows as uploaded, which imports once fixed', async () => {
    const { principal } = await createBareAccount(services);
    const first = await runImport(services, principal, FILE);
    expect(first).toMatchObject({ created: 2, failed: 2 });
    let text = '';
    for await (const line of services.imports.fixFile(principal, first.id)) text += line;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows: string[][] = parse(text.slice(1), { relax_column_count: true });
    expect(rows).toEqual([
      ['import_error', 'email', 'name', 'Shoe size'],
      ['email: not an email address', 'not-an-email', 'Kari', '38'],
      ['column 4: the row has 4 cells but the header has 3', 'per@fix.no', 'Per', '44', 'surplus'],
    ]);
    // The agent fixes the two rows and uploads the file again: the reason column is not data.
    const fixed = text.replace('not-an-email', 'kari@fix.no').replace(',surplus', '');
    const second = await runImport(services, principal, Buffer.from(fixed));
    expect(second).toMatchObject({ created: 2, failed: 0 });
    const kari = (
      await services.customers.list(principal, { q: 'kari@fix.no', status: 'all', limit: 5 })
    ).items[0];
    expect(kari?.customAttributes).toEqual({ 'Shoe size': '38' });
    const preview = await services.imports.preview(principal, second.id);
    // The reason column is neither unknown nor kept: read past.
    expect(preview.unknownColumns).toEqual(['Shoe size']);
    expect(preview.import.mapping).toEqual([null, 'email', 'full_name', 'attribute:Shoe size']);
  });

  it('removes an upload never started, with its file; a started one stays', async () => {
    const { principal } = await createBareAccount(services);
    const uploaded = await services.imports.upload(principal, {
      filename: 'remove.csv',
      body: Readable.from([Buffer.from('email\r\nremove@fix.no\r\n')]),
    });
    const key = `imports/${principal.accountId}/${uploaded.import.id}.csv`;
    expect(await services.files.exists(key)).toBe(true);
    await services.imports.remove(principal, uploaded.import.id);
    expect(await services.files.exists(key)).toBe(false);
    await expect(services.imports.get(principal, uploaded.import.id)).rejects.toMatchObject({
      status: 404,
    });
    const started = await runImport(services, principal, FILE);
    await expect(services.imports.remove(principal, started.id)).rejects.toMatchObject({
      status: 409,
      code: 'import_not_removable',
    });
    expect((await services.imports.get(principal, started.id)).status).toBe('done');
  });

  it('queues the expiry of each upload a week out; it removes only what was never started', async () => {
    const { principal } = await createBareAccount(services);
    const uploaded = await services.imports.upload(principal, {
      filename: 'expire.csv',
      body: Readable.from([Buffer.from('email\r\nexpire@fix.no\r\n')]),
    });
    const jobs = await services.db.kysely
      .selectFrom('jobs')
      .select(['kind', 'run_at', 'payload'])
      .where('account_id', '=', principal.accountId)
      .where('kind', '=', 'expire-import-upload')
      .execute();
    expect(jobs).toHaveLength(1);
    const days = (new Date(String(jobs[0]?.run_at)).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    const deps = { db: services.db, files: services.files };
    expect(await removeNeverStarted(deps, principal.accountId, uploaded.import.id)).toBe(true);
    expect(await removeNeverStarted(deps, principal.accountId, uploaded.import.id)).toBe(false);
    const started = await runImport(services, principal, FILE);
    expect(await removeNeverStarted(deps, principal.accountId, started.id)).toBe(false);
  });
});
