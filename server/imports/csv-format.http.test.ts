// CSV layouts over real HTTP (issue 16): the export and the error report in the agent's language
// (Norwegian headers and semicolons for a Norwegian agent, a UTF-8 BOM always), the parameters
// that override it, and the import reading what those files hold: the Norwegian export
// re-imported unchanged, a semicolon file with a BOM and Norwegian headers, a tab file.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../common/customer.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const BOM = [0xef, 0xbb, 0xbf];

describe.each(testDialects())('CSV layouts by language on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let enToken: string;
  let nbToken: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    const { services } = server;
    enToken = (await services.agents.createToken(account.accountId, account.admin.userId!, 'en'))
      .token;
    // A Norwegian administrator: same role as the first one, Bokmål as their language.
    const roles = (await call(enToken, 'GET', '/api/v1/roles')).json as {
      items: { id: string; builtIn: string | null }[];
    };
    const email = `${unique('norsk')}@example.com`;
    await services.agents.createUser(account.accountId, {
      email,
      name: 'Nora Norsk',
      password: 'norsk passord 123',
      roleId: roles.items.find((r) => r.builtIn === 'administrator')!.id,
      locale: 'nb',
    });
    nbToken = (await services.agents.createTokenForEmail(email, 'nb')).token;
    await services.customFields.create(account.accountId, {
      entity: 'customer',
      key: 'tier',
      label: 'Customer tier',
      labelNb: 'Kundenivå',
      type: 'text',
      required: false,
      options: [],
    });
    await services.customerTypes.create(account.accountId, { name: 'Bedrift' });
    server.services.worker.start();
  });
  afterAll(async () => {
    await server.services.worker.stop();
    await server.close();
  });

  async function call(token: string, method: string, url: string, body?: Buffer | object) {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined
          ? {}
          : Buffer.isBuffer(body)
            ? { 'content-type': 'text/csv' }
            : { 'content-type': 'application/json' }),
      },
      body:
        body === undefined
          ? undefined
          : Buffer.isBuffer(body)
            ? new Uint8Array(body)
            : JSON.stringify(body),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, bytes, text, json, headers: response.headers };
  }

  /** Uploads `bytes` and runs the import to the end; answers the preview and the finished import. */
  async function importFile(bytes: Buffer, mode: 'create' | 'upsert' = 'create', token = enToken) {
    const upload = await call(token, 'POST', `/api/v1/customer-imports?mode=${mode}`, bytes);
    expect(upload.status, upload.text).toBe(201);
    const preview = (
      upload.json as {
        import: { id: string; mapping: (string | null)[]; delimiter: string };
      }
    ).import;
    const started = await call(token, 'POST', `/api/v1/customer-imports/${preview.id}/start`, {
      mode,
    });
    expect(started.status, started.text).toBe(202);
    for (let i = 0; i < 200; i++) {
      const view = (await call(token, 'GET', `/api/v1/customer-imports/${preview.id}`))
        .json as Record<string, unknown>;
      if (view.status === 'done' || view.status === 'failed') return { preview, result: view };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('import did not finish');
  }

  async function customersMatching(q: string): Promise<Customer[]> {
    const page = await call(enToken, 'GET', `/api/v1/customers?status=all&limit=100&q=${q}`);
    return (page.json as { items: Customer[] }).items;
  }

  it('exports in Norwegian for a Norwegian agent (semicolons, BOM, Norwegian headers) and re-imports unchanged', async () => {
    const { services } = server;
    const admin = account.admin;
    const [type] = await services.customerTypes.list(account.accountId);
    const organization = await services.organizations.create(admin, { name: 'Rundtur AS' });
    await services.customers.create(
      admin,
      {
        email: 'eksport.en@roundtrip.no',
        phone: '+47 987 65 432',
        additionalEmails: ['eksport.privat@roundtrip.no'],
        firstName: 'Åse',
        lastName: 'Ødegård; Berg',
        organizationId: organization.id,
        typeId: type!.id,
        customAttributes: { tier: 'Gull, nivå 1', rolle: '=leder' },
      },
      'agent',
    );
    await services.customers.create(
      admin,
      { email: 'eksport.to@roundtrip.no', firstName: 'Bjørn', customAttributes: {} },
      'agent',
    );
    const before = await customersMatching('roundtrip');
    expect(before).toHaveLength(2);

    const exported = await call(nbToken, 'GET', '/api/v1/customers/export.csv?q=roundtrip');
    expect(exported.status).toBe(200);
    expect([...exported.bytes.subarray(0, 3)]).toEqual(BOM);
    const lines = exported.text.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Kundenummer;E-post;Telefon;Flere e-postadresser;Flere telefonnumre;Fornavn;Etternavn;' +
        'Organisasjon;Kundetype;Status;Hub-tilgang;Opprettet;Kundenivå;attributt:rolle',
    );
    const rows = parse<Record<string, string>>(exported.text.slice(1), {
      delimiter: ';',
      columns: true,
    });
    const first = rows.find((r) => r['E-post'] === 'eksport.en@roundtrip.no')!;
    expect(first).toMatchObject({
      Etternavn: 'Ødegård; Berg',
      Kundenivå: 'Gull, nivå 1',
      'attributt:rolle': "'=leder",
      Kundetype: 'Bedrift',
      // Read-only cells in Bokmål too; the import reads past them.
      Status: 'aktiv',
      'Hub-tilgang': 'ja',
    });

    const { preview, result } = await importFile(exported.bytes, 'upsert', nbToken);
    expect(preview.delimiter).toBe(';');
    // Every column is recognised without a mapping; the ones the import reads past stay unmapped.
    expect(preview.mapping).toEqual([
      null,
      'email',
      'phone',
      'additional_emails',
      'additional_phones',
      'first_name',
      'last_name',
      'organization',
      'type',
      null,
      null,
      null,
      'field:tier',
      'attribute:rolle',
    ]);
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 2, failed: 0 });
    expect(await customersMatching('roundtrip')).toEqual(before);
  });

  it('imports a semicolon file with a BOM and Norwegian headers', async () => {
    const { result } = await importFile(
      fs.readFileSync(path.join(FIXTURES, 'utf8-bom-semicolon-export-nb.csv')),
    );
    expect(result).toMatchObject({ created: 2, failed: 0 });
    const [kari] = await customersMatching('kari.semikolon');
    expect([...kari!.additionalEmails].sort()).toEqual(['kari2@privat.no', 'kari@privat.no']);
    expect(kari).toMatchObject({
      email: 'kari.semikolon@fjord.no',
      phone: '+4741234567',
      firstName: 'Kari',
      lastName: 'Sørbø',
      organizationName: 'Fjordsemikolon AS',
      customAttributes: { tier: 'Gull', rolle: 'Daglig leder, eier' },
    });
    const [per] = await customersMatching('per.semikolon');
    expect(per).toMatchObject({ firstName: 'Per', lastName: 'Åsheim' });
  });

  it('imports a tab-separated UTF-8 file without BOM, with English headers', async () => {
    const { preview, result } = await importFile(
      fs.readFileSync(path.join(FIXTURES, 'utf8-tab-english.csv')),
    );
    expect(preview.delimiter).toBe('\t');
    expect(result).toMatchObject({ created: 2, failed: 0 });
    const [one] = await customersMatching('tab.one');
    expect(one).toMatchObject({
      email: 'tab.one@tabs.no',
      phone: '+4791234567',
      firstName: 'Tora',
      organizationName: 'Tab Company AS',
      customAttributes: { tier: 'Silver', team: 'Blue, green' },
    });
    const [two] = await customersMatching('tab.two');
    expect(two).toMatchObject({ email: 'tab.two@tabs.no', lastName: 'Tab; Tabsen' });
  });

  it('exports in English with commas by default, and as asked with headers, language and delimiter', async () => {
    const firstLine = async (token: string, query: string) => {
      const answer = await call(token, 'GET', `/api/v1/customers/export.csv?q=roundtrip${query}`);
      expect(answer.status, answer.text).toBe(200);
      expect([...answer.bytes.subarray(0, 3)]).toEqual(BOM);
      // Up to the attributes: other tests' customers add theirs (attribute:team) after it.
      return answer.text
        .slice(1)
        .split('\r\n')[0]!
        .replace(/[,;\t]attribut[et]:team$/, '');
    };
    expect(await firstLine(enToken, '')).toBe(
      'Number,Email,Phone,Additional emails,Additional phones,First name,Last name,' +
        'Organization,Type,Status,Hub access,Created,Customer tier,attribute:rolle',
    );
    expect(await firstLine(nbToken, '&headers=machine&delimiter=comma')).toBe(
      'number,email,phone,additional_emails,additional_phones,first_name,last_name,' +
        'organization,type,status,hub_access,created_at,tier,attribute:rolle',
    );
    expect(await firstLine(enToken, '&language=nb')).toMatch(/^Kundenummer;E-post;/);
    expect(await firstLine(nbToken, '&delimiter=tab')).toMatch(/^Kundenummer\tE-post\t/);
    const bad = await call(enToken, 'GET', '/api/v1/customers/export.csv?delimiter=pipe');
    expect(bad.status).toBe(422);
    expect((bad.json as { errors: { field: string }[] }).errors[0]!.field).toBe('delimiter');
  });

  it("writes the import's error report and the template in the agent's language", async () => {
    const { preview } = await importFile(
      Buffer.from('E-post;Fornavn\r\nikke-en-adresse;Ola\r\n', 'utf8'),
      'create',
      nbToken,
    );
    const report = await call(nbToken, 'GET', `/api/v1/customer-imports/${preview.id}/errors.csv`);
    expect([...report.bytes.subarray(0, 3)]).toEqual(BOM);
    const lines = report.text.slice(1).split('\r\n');
    expect(lines[0]).toBe('Rad;Kolonne;Verdi;Årsak');
    expect(lines[1]).toMatch(/^2;E-post;ikke-en-adresse;/);
    const machine = await call(
      nbToken,
      'GET',
      `/api/v1/customer-imports/${preview.id}/errors.csv?headers=machine&delimiter=comma`,
    );
    expect(machine.text.slice(1).split('\r\n')[0]).toBe('row,column,value,reason');
    const template = await call(nbToken, 'GET', '/api/v1/customer-imports/template.csv');
    const [header, example] = template.text.slice(1).split('\r\n');
    expect(header).toBe('E-post;Telefon;Fornavn;Etternavn;Organisasjon;Kundetype;Kundenivå');
    // The example row in Bokmål too: the organization and the text field's example.
    expect(example).toBe(
      "ola.nordmann@example.com;'+47 987 65 432;Ola;Nordmann;Eksempel AS;Bedrift;Tekst",
    );
  });
});
