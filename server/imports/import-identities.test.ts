// Several addresses and numbers per customer in a CSV import (issue 15), on both databases, from
// real files: repeated columns ("email 2", "E-post_3", "Phone 2") recognised by the automatic
// mapping, a column of values separated by ";", "," or a line break, each value checked like the
// primary one (row and column named), and a row matching an existing customer by an additional
// address updating that customer, never a new one.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../common/customer.ts';
import type { Principal } from '../agents/principal.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';
import { reportedErrors, runImport } from './import.testkit.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

describe.each(testDialects())('importing several identities on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db, { dataDir: fs.mkdtempSync(path.join('/tmp', 'kunde-files-')) });
  });
  afterAll(() => db.destroy());

  async function byEmail(principal: Principal, q: string): Promise<Customer | undefined> {
    const page = await services.customers.list(principal, { status: 'all', q, limit: 5 });
    return page.items.find((c) => c.email === q);
  }

  it('maps repeated columns to additional ones and checks each value', async () => {
    const { principal } = await createBareAccount(services);
    const file = path.join(FIXTURES, 'identities-repeated-columns.csv');
    const uploaded = await services.imports.upload(principal, {
      filename: 'identities-repeated-columns.csv',
      body: fs.createReadStream(file),
    });
    expect(uploaded.import.mapping).toEqual([
      'email',
      'additional_emails',
      'additional_emails',
      'phone',
      'additional_phones',
      'first_name',
    ]);
    const result = await runImport(services, principal, file);
    expect(result).toMatchObject({ created: 2, failed: 1 });
    expect(await byEmail(principal, 'nora@fjord.no')).toMatchObject({
      additionalEmails: ['nora@jobb.example', 'nora@privat.example'],
      phone: '+4741200101',
      additionalPhones: ['+4741200102'],
    });
    expect(await byEmail(principal, 'pia@fjord.no')).toMatchObject({
      additionalEmails: [],
      additionalPhones: [],
    });
    expect(await reportedErrors(services, principal, result.id)).toEqual([
      {
        row: 3,
        column: 'email 2',
        value: 'odd@@broken',
        reason: expect.stringMatching(/^not an email address/) as unknown,
      },
    ]);
    // Found by the secondary address, as any customer is.
    const found = await services.customers.list(principal, {
      status: 'all',
      q: 'nora@privat',
      limit: 5,
    });
    expect(found.items.map((c) => c.email)).toEqual(['nora@fjord.no']);
  });

  it('reads a column of values separated by ; , or a line break', async () => {
    const { principal } = await createBareAccount(services);
    const result = await runImport(
      services,
      principal,
      path.join(FIXTURES, 'identities-separated.csv'),
    );
    expect(result).toMatchObject({ created: 2, failed: 1 });
    expect(await byEmail(principal, 'rune@fjord.no')).toMatchObject({
      additionalEmails: ['rune@jobb.example', 'rune@privat.example'],
      phone: '+4741200201',
      additionalPhones: ['+4741200202'],
    });
    expect(await byEmail(principal, 'sara@fjord.no')).toMatchObject({
      additionalEmails: ['sara@jobb.example', 'sara@privat.example'],
    });
    expect(await reportedErrors(services, principal, result.id)).toEqual([
      {
        row: 4,
        column: 'additional phones',
        value: 'not-a-number',
        reason: 'not a phone number',
      },
    ]);
  });

  it('updates the customer a row names by an additional address, keeping their primary', async () => {
    const { principal } = await createBareAccount(services);
    const kari = await services.customers.create(
      principal,
      { email: 'kari@fjord.no', additionalEmails: ['kari@privat.example'] },
      'agent',
    );
    const knut = await services.customers.create(principal, { email: 'knut@fjord.no' }, 'agent');
    await services.customers.create(principal, { email: 'lise@fjord.no' }, 'agent');
    const result = await runImport(
      services,
      principal,
      Buffer.from(
        'email,email 2,first_name\r\n' +
          'kari@privat.example,kari@jobb.example,Kari\r\n' +
          'lise@fjord.no,knut@fjord.no,Lise\r\n' +
          'kari@fjord.no,,Twice\r\n' +
          'knut.ny@fjord.no,knut@fjord.no,Knut\r\n',
      ),
      { mode: 'upsert' },
    );
    expect(result).toMatchObject({ created: 0, updated: 2, failed: 2 });
    const after = await services.customers.get(principal, kari.id);
    expect(after).toMatchObject({
      email: 'kari@fjord.no',
      firstName: 'Kari',
      additionalEmails: expect.arrayContaining([
        'kari@jobb.example',
        'kari@privat.example',
      ]) as unknown,
    });
    expect(after.additionalEmails).toHaveLength(2);
    expect(await reportedErrors(services, principal, result.id)).toEqual([
      {
        row: 3,
        column: 'email 2',
        value: 'knut@fjord.no',
        reason: `the email address belongs to customer #${knut.number}, not to the customer of the row`,
      },
      {
        row: 4,
        column: 'email',
        value: 'kari@fjord.no',
        reason: 'same customer as row 2; the row was not imported twice',
      },
    ]);
    // A row naming a customer only by its second column is that customer: the file's primary
    // becomes theirs, and the old one stays as an additional one.
    expect(await services.customers.get(principal, knut.id)).toMatchObject({
      email: 'knut.ny@fjord.no',
      firstName: 'Knut',
      additionalEmails: ['knut@fjord.no'],
    });
    expect((await byEmail(principal, 'lise@fjord.no'))?.firstName).toBeNull();
  });

  it('exports a column each, values separated by "; ", that imports back unchanged', async () => {
    const { principal } = await createBareAccount(services);
    await services.customers.create(
      principal,
      {
        email: 'vera@fjord.no',
        additionalEmails: ['vera@a.example', 'vera@b.example'],
        phone: '+4741200301',
        additionalPhones: ['+4741200302'],
      },
      'agent',
    );
    const { exportCustomersCsv } = await import('./export.ts');
    let csv = '';
    const deps = {
      db: db.kysely,
      dialect,
      customers: services.customers,
      customFields: services.customFields,
    };
    for await (const chunk of exportCustomersCsv(deps, principal, { status: 'active' }))
      csv += chunk;
    const [header, line] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toContain('additional_emails,additional_phones');
    // Quoted (the export quotes a cell with ;), the number guarded against a formula as always.
    expect(line).toContain(`"vera@a.example; vera@b.example",'+4741200302`);
    const again = await runImport(services, principal, Buffer.from(csv), { mode: 'upsert' });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1, failed: 0 });
  });
});
