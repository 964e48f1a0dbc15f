// CSV imports end to end on both databases: real files in fixtures/, the real job worker.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportOptions } from '../../common/customer-import.ts';
import type { Principal } from '../agents/principal.ts';
import { bindTask } from '../jobs/task.ts';
import { importTask } from './import.task.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

describe.each(testDialects())('CSV import on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    dataDir = fs.mkdtempSync(path.join('/tmp', 'kunde-files-'));
    services = createServices(db, { dataDir });
  });
  afterAll(() => db.destroy());

  async function runImport(
    principal: Principal,
    file: string | Buffer,
    options: Partial<ImportOptions> = {},
    idempotencyKey?: string,
  ) {
    const body =
      typeof file === 'string'
        ? fs.createReadStream(path.join(FIXTURES, file))
        : (await import('node:stream')).Readable.from([file]);
    const uploaded = await services.imports.upload(principal, {
      filename: typeof file === 'string' ? file : 'generated.csv',
      body,
      idempotencyKey,
    });
    if (uploaded.replayed) return { ...uploaded, result: uploaded.import };
    await services.imports.start(principal, uploaded.import.id, {
      mode: 'create',
      dryRun: false,
      overwriteEmpty: false,
      ...options,
    });
    await services.worker.drain();
    return { ...uploaded, result: await services.imports.get(principal, uploaded.import.id) };
  }

  async function all(principal: Principal) {
    return (await services.customers.list(principal, { status: 'all', limit: 200 })).items;
  }

  it.each([
    ['utf8-semicolon-norwegian.csv', 'utf-8', ';'],
    ['windows-1252-semicolon.csv', 'windows-1252', ';'],
    ['utf16le-tab.csv', 'utf-16le', '\t'],
  ])('reads %s (%s, %j) with Norwegian headers', async (file, encoding, delimiter) => {
    const { principal } = await createBareAccount(services);
    const { result } = await runImport(principal, file);
    expect(result).toMatchObject({
      status: 'done',
      encoding,
      delimiter,
      totalRows: 3,
      created: 3,
      failed: 0,
    });
    const customers = await all(principal);
    const bjorn = customers.find((c) => c.email === 'bjorn.odegard@fjord.no');
    expect(bjorn).toMatchObject({
      firstName: 'Bjørn',
      lastName: 'Ødegård',
      phone: '+4798765432',
      organizationName: 'Fjord AS',
      createdVia: 'import',
    });
    // Issue 16: "Fjord AS", named with a @fjord.no address, took the domain: no second "fjord.no".
    expect(customers.find((c) => c.email === 'ase.bakken@fjord.no')?.organizationName).toBe(
      'Fjord AS',
    );
    expect(customers.find((c) => c.email === 'kari@gmail.com')?.organizationId).toBeNull();
  });

  it('reads UTF-8 with a BOM and English headers, and quoted fields with newlines and quotes', async () => {
    const { principal } = await createBareAccount(services);
    expect((await runImport(principal, 'utf8-bom-comma.csv')).result).toMatchObject({
      created: 2,
      encoding: 'utf-8',
      delimiter: ',',
    });
    expect((await all(principal)).map((c) => c.organizationName)).toEqual([
      'Example AS',
      'Example AS',
    ]);
    const quoted = await runImport(principal, 'quoted-newlines.csv', {
      mapping: ['email', 'first_name', 'last_name', 'attribute:note'],
    });
    expect(quoted.result).toMatchObject({ created: 2, failed: 0 });
    const anne = (await all(principal)).find((c) => c.email === 'anne@quoted.no');
    expect(anne?.customAttributes).toEqual({ note: 'line one\nline two, with comma' });
    expect((await all(principal)).find((c) => c.email === 'tor@quoted.no')?.firstName).toBe(
      'Tor "Tusen"',
    );
  });

  it('reports unknown columns in the preview instead of dropping them silently', async () => {
    const { principal } = await createBareAccount(services);
    const uploaded = await services.imports.upload(principal, {
      filename: 'u.csv',
      body: fs.createReadStream(path.join(FIXTURES, 'unknown-columns.csv')),
    });
    const preview = await services.imports.preview(principal, uploaded.import.id);
    expect(preview.unknownColumns).toEqual(['Shoe size', 'Favourite colour']);
    // Issue 16: kept as free-form attributes of their own names unless the agent skips them.
    expect(preview.columns.map((c) => c.target)).toEqual([
      'email',
      'first_name',
      'attribute:Shoe size',
      'attribute:Favourite colour',
    ]);
    expect(preview.import.totalRows).toBe(1);
  });

  it('accounts for every row: each bad row reported with row, column and reason, nothing imported twice', async () => {
    const { principal, accountId } = await createBareAccount(services);
    await services.customerTypes.create(accountId, { name: 'VIP' });
    await services.customFields.create(accountId, {
      entity: 'customer',
      key: 'tier',
      label: 'Tier',
      type: 'dropdown',
      options: ['Gold', 'Silver'],
      required: true,
    });
    await services.customFields.create(accountId, {
      entity: 'customer',
      key: 'since',
      label: 'Since',
      type: 'date',
      options: [],
      required: false,
    });
    const { result } = await runImport(principal, 'bad-rows.csv');
    expect(result.totalRows).toBe(13);
    expect(result.created + result.updated + result.unchanged + result.failed).toBe(13);
    expect(result).toMatchObject({ created: 3, failed: 10 });
    const report: string[] = [];
    for await (const line of services.imports.errorReport(principal, result.id)) report.push(line);
    const text = report.join('');
    expect(text).toContain('3,email,not-an-email,not an email address');
    expect(text).toMatch(/4,phone,12,not a valid phone number/);
    expect(text).toContain('5,email,,an email address or a mobile number is required');
    expect(text).toContain(
      '6,email,good@bad-rows.no,"same email address as row 2; the row was not imported twice"',
    );
    expect(text).toContain('8,phone,+4745500001,"same mobile number as row 7;');
    expect(text).toContain('9,type,Platinum,"no customer type named ""Platinum"""');
    expect(text).toContain('10,tier,Bronze,"must be one of: Gold, Silver"');
    expect(text).toContain('11,Tier,,Tier is required');
    expect(text).toContain('12,since,31.01.2024,must be a date as YYYY-MM-DD');
    expect(text).toMatch(/13,first_name,X+,at most 100 characters/);
    const customers = await all(principal);
    expect(customers.map((c) => c.email ?? c.phone).sort()).toEqual([
      '+4745500001',
      'good@bad-rows.no',
      'ok2@bad-rows.no',
    ]);
    expect(customers.find((c) => c.email === 'ok2@bad-rows.no')?.customAttributes).toEqual({
      tier: 'Silver',
    });
  });

  it('creates and updates, matched on email then phone; empty cells keep values unless asked', async () => {
    const { principal } = await createBareAccount(services);
    await runImport(
      principal,
      Buffer.from(
        'email,phone,first_name,last_name\r\na@upsert.no,,Anne,Ask\r\n,+47 466 00 001,Berit,Bø\r\n',
      ),
    );
    const second = Buffer.from(
      'email,phone,first_name,last_name\r\nA@UPSERT.no,,Anna,\r\nc@upsert.no,466 00 001,Berit,Bø\r\nnew@upsert.no,,Ny,Kunde\r\n',
    );
    const created = await runImport(principal, second, { mode: 'create' });
    expect(created.result).toMatchObject({ created: 1, failed: 2 });
    const upsert = await runImport(principal, Buffer.concat([second, Buffer.from('\r\n')]), {
      mode: 'upsert',
    });
    expect(upsert.result).toMatchObject({ created: 0, updated: 2, unchanged: 1, failed: 0 });
    const customers = await all(principal);
    expect(customers.find((c) => c.email === 'a@upsert.no')).toMatchObject({
      firstName: 'Anna',
      lastName: 'Ask',
    });
    expect(customers.find((c) => c.phone === '+4746600001')).toMatchObject({
      email: 'c@upsert.no',
      firstName: 'Berit',
    });
    const cleared = await runImport(principal, Buffer.from('email,last_name\r\na@upsert.no,\r\n'), {
      mode: 'upsert',
      overwriteEmpty: true,
    });
    expect(cleared.result.updated).toBe(1);
    expect((await all(principal)).find((c) => c.email === 'a@upsert.no')?.lastName).toBeNull();
    const annaId = customers.find((c) => c.email === 'a@upsert.no')?.id ?? '';
    const audit = await services.customers.auditTrail(principal, annaId, 10);
    expect(audit.items[0]).toMatchObject({
      action: 'updated',
      actor: { name: 'Test Agent (CSV import)' },
      changes: { lastName: { from: 'Ask', to: null } },
    });
    // Created by the first import: derived from the customer and the import's record, with the
    // values it was created with (rolled back through both later updates), its file and row.
    expect(audit.total).toBe(3);
    expect(audit.items.map((e) => e.action)).toEqual(['updated', 'updated', 'created']);
    expect(audit.items[2]).toMatchObject({
      action: 'created',
      actor: { type: 'user', name: 'Test Agent (CSV import)' },
      changes: {
        firstName: { from: null, to: 'Anne' },
        lastName: { from: null, to: 'Ask' },
        email: { from: null, to: 'a@upsert.no' },
      },
      import: { filename: 'generated.csv', row: 2 },
    });
    // Paged one at a time, the derived entry comes last and only once.
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await services.customers.auditTrail(principal, annaId, 1, cursor);
      pages.push(...page.items.map((e) => e.action));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(['updated', 'updated', 'created']);
  });

  it('validates everything in a dry run and writes nothing', async () => {
    const { principal } = await createBareAccount(services);
    const { result } = await runImport(principal, 'utf8-semicolon-norwegian.csv', { dryRun: true });
    expect(result).toMatchObject({ status: 'done', dryRun: true, created: 3, failed: 0 });
    expect(await all(principal)).toEqual([]);
    expect((await services.organizations.list(principal, { limit: 10 })).total).toBe(0);
    const dup = await runImport(principal, Buffer.from('email\r\nx@dry.no\r\nX@DRY.NO\r\n'), {
      dryRun: true,
    });
    expect(dup.result).toMatchObject({ created: 1, failed: 1 });
  });

  it('does not import the same upload twice: same file within minutes, or the same Idempotency-Key', async () => {
    const { principal } = await createBareAccount(services);
    const first = await runImport(principal, 'utf8-bom-comma.csv');
    const again = await runImport(principal, 'utf8-bom-comma.csv');
    expect(again.replayed).toBe(true);
    expect(again.import.id).toBe(first.import.id);
    const keyed = await runImport(principal, Buffer.from('email\r\nk1@key.no\r\n'), {}, 'key-123');
    const keyedAgain = await runImport(
      principal,
      Buffer.from('email\r\nk2@key.no\r\n'),
      {},
      'key-123',
    );
    expect(keyedAgain.import.id).toBe(keyed.import.id);
    expect((await all(principal)).map((c) => c.email)).not.toContain('k2@key.no');
    expect(await all(principal)).toHaveLength(3);
  });

  it('resumes after a crash from the last committed batch, losing and duplicating nothing', async () => {
    const { principal } = await createBareAccount(services);
    const lines = ['email,first_name'];
    for (let i = 1; i <= 95; i++) lines.push(`crash${i}@resume.no,Person ${i}`);
    lines.push('crash7@resume.no,Duplicate');
    const uploaded = await services.imports.upload(principal, {
      filename: 'crash.csv',
      body: (await import('node:stream')).Readable.from([lines.join('\n')]),
    });
    await services.imports.start(principal, uploaded.import.id, {
      mode: 'create',
      dryRun: false,
      overwriteEmpty: false,
    });
    // A worker whose process "dies" (throws) after its third committed batch of 10 rows.
    const crashing = createServices(db, { dataDir });
    let batches = 0;
    crashing.worker.register(
      bindTask(
        {
          ...importTask,
          run: (context, deps) =>
            importTask.run(
              {
                ...context,
                stopping: () => {
                  batches += 1;
                  if (batches === 3) throw new Error('simulated crash');
                  return false;
                },
              },
              deps,
            ),
        },
        {
          db,
          files: services.files,
          customers: crashing.customers,
          customFields: crashing.customFields,
          batchSize: 10,
        },
      ),
    );
    await crashing.worker.drain();
    const midway = await services.imports.get(principal, uploaded.import.id);
    expect(midway.processedRows).toBe(30);
    expect(midway.created).toBe(30);
    // The failed attempt is retried later; run it now.
    await db.kysely
      .updateTable('jobs')
      .set({ run_at: new Date(0).toISOString() })
      .where('account_id', '=', principal.accountId)
      .execute();
    await services.worker.drain();
    const done = await services.imports.get(principal, uploaded.import.id);
    expect(done).toMatchObject({ status: 'done', processedRows: 96, created: 95, failed: 1 });
    const customers = await services.customers.list(principal, {
      status: 'all',
      limit: 200,
      q: 'resume.no',
    });
    expect(customers.total).toBe(95);
  });

  it('exports the list with formula cells escaped, and the export re-imports unchanged', async () => {
    const { principal } = await createBareAccount(services);
    await services.customers.create(
      principal,
      {
        email: 'f@export.no',
        phone: '+47 988 77 666',
        firstName: '=HYPERLINK("x")',
        lastName: '@sum',
        customAttributes: { role: '+CEO', seats: 3 },
      },
      'agent',
    );
    await services.customers.create(
      principal,
      { email: 'g@export.no', firstName: 'Gro', lastName: 'Li' },
      'agent',
    );
    const { exportCustomersCsv } = await import('./export.ts');
    let csv = '';
    for await (const chunk of exportCustomersCsv(
      {
        db: db.kysely,
        dialect,
        customers: services.customers,
        customFields: services.customFields,
      },
      principal,
      { status: 'active' },
    ))
      csv += chunk;
    expect(csv).toContain(`"'=HYPERLINK(""x"")",'@sum`);
    expect(csv).toContain("'+4798877666");
    expect(csv.split('\r\n')[0]).toContain('attribute:role');
    const { result } = await runImport(principal, Buffer.from(csv), { mode: 'upsert' });
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 2, failed: 0 });
    const f = (await all(principal)).find((c) => c.email === 'f@export.no');
    expect(f).toMatchObject({
      firstName: '=HYPERLINK("x")',
      lastName: '@sum',
      customAttributes: { role: '+CEO', seats: 3 },
    });
  });
});
