// The files an import leaves for the agent, in the agent's language, over real HTTP (issue 16
// point 2): a Norwegian agent's error report (errors.csv) and fix file (fix.csv) say every row's
// reason in Bokmål, with the row numbers and the values it names; the machine layout keeps the
// English sentences the CLI and the console read back; the Norwegian fix file re-uploads with
// its reason column read past. One real file (fixtures/reasons-nb.csv) with a row for each kind
// of refusal: a refused cell, a repeat in the file, an existing customer in create-only mode,
// an unknown customer type, no identity, a name too long.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImportReason } from '../../common/import-reasons.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

const FILE = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'reasons-nb.csv'));

describe.each(testDialects())('import reports in the agent language on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let enToken: string;
  let nbToken: string;
  let importId: string;
  let perNumber: number;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    const { services } = server;
    enToken = (await services.agents.createToken(account.accountId, account.admin.userId!, 'en'))
      .token;
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
    const per = await call(enToken, 'POST', '/api/v1/customers', { email: 'per@finnes.no' });
    expect(per.status, per.text).toBe(201);
    perNumber = (per.json as { number: number }).number;
    server.services.worker.start();
    importId = await importFile(FILE, nbToken);
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
          : { 'content-type': Buffer.isBuffer(body) ? 'text/csv' : 'application/json' }),
      },
      body:
        body === undefined
          ? undefined
          : Buffer.isBuffer(body)
            ? new Uint8Array(body)
            : JSON.stringify(body),
    });
    // Decoded by hand: Response.text() would drop the BOM the files must start with.
    const text = Buffer.from(await response.arrayBuffer()).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  }

  /** Uploads the file in create-only mode and waits for the worker; answers the import's id. */
  async function importFile(bytes: Buffer, token: string): Promise<string> {
    const upload = await call(token, 'POST', '/api/v1/customer-imports?start=true', bytes);
    expect(upload.status, upload.text).toBe(201);
    const id = (upload.json as { import: { id: string } }).import.id;
    for (let i = 0; i < 200; i++) {
      const view = (await call(token, 'GET', `/api/v1/customer-imports/${id}`)).json as {
        status: string;
      };
      if (view.status === 'done' || view.status === 'failed') return id;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('import did not finish');
  }

  /** A downloaded CSV's rows (BOM removed), parsed with the delimiter the file should have. */
  async function download(token: string, url: string, delimiter: string): Promise<string[][]> {
    const response = await call(token, 'GET', url);
    expect(response.status, response.text).toBe(200);
    expect(response.text.startsWith('\uFEFF')).toBe(true);
    return parse(response.text.slice(1), { delimiter, relax_column_count: true });
  }

  it('writes the error report of a Norwegian agent in Bokmål, row by row', async () => {
    const rows = await download(nbToken, `/api/v1/customer-imports/${importId}/errors.csv`, ';');
    expect(rows).toEqual([
      ['Rad', 'Kolonne', 'Verdi', 'Årsak'],
      ['3', 'E-post', 'ikke-en-epost', 'Ikke en gyldig e-postadresse'],
      [
        '4',
        'E-post',
        'ola@nordmann.no', // the address as the import compared it
        'Samme e-postadresse som rad 2; raden ble ikke importert to ganger',
      ],
      [
        '5',
        'E-post',
        'per@finnes.no',
        `Kunde #${perNumber} har allerede denne e-postadressen (velg «Opprett og oppdater» for å oppdatere kunden)`,
      ],
      ['6', 'Kundetype', 'Privat', 'Ingen kundetype heter «Privat»'],
      ['7', 'E-post', '', 'Det trengs en e-postadresse eller et mobilnummer'],
      ['8', 'Fornavn', `L${'a'.repeat(100)}`, 'Høyst 100 tegn'],
    ]);
  });

  it('keeps the English sentences in the machine layout, each read back to its code', async () => {
    const rows = await download(
      nbToken,
      `/api/v1/customer-imports/${importId}/errors.csv?headers=machine&delimiter=comma`,
      ',',
    );
    expect(rows.map(([row, , , reason]) => [row, reason])).toEqual([
      ['row', 'reason'],
      ['3', 'not an email address'],
      ['4', 'same email address as row 2; the row was not imported twice'],
      [
        '5',
        `customer #${perNumber} already has this email address (choose "create and update" to update it)`,
      ],
      ['6', 'no customer type named "Privat"'],
      ['7', 'an email address or a mobile number is required'],
      ['8', 'at most 100 characters'],
    ]);
    // What the console reads (web/api/customer-imports.ts asks for this layout).
    expect(rows.slice(1).map(([, , , reason]) => readImportReason(reason ?? '')?.code)).toEqual([
      undefined, // a field error: its sentence goes through the console's rules
      'same_email_as_row',
      'email_exists_create_only',
      'unknown_customer_type',
      'identity_required',
      undefined,
    ]);
    // An English agent's localized report: English headers, the same English sentences.
    const english = await download(enToken, `/api/v1/customer-imports/${importId}/errors.csv`, ',');
    expect(english[0]).toEqual(['Row', 'Column', 'Value', 'Reason']);
    expect(english.map((cells) => cells[3]).slice(1)).toEqual(
      rows.map((cells) => cells[3]).slice(1),
    );
    // Asked for in Norwegian by an English agent: Bokmål.
    const asked = await download(
      enToken,
      `/api/v1/customer-imports/${importId}/errors.csv?language=nb`,
      ';',
    );
    expect(asked[1]?.[3]).toBe('Ikke en gyldig e-postadresse');
  });

  it('writes the fix file in Bokmål, which re-uploads with its reason column read past', async () => {
    const url = `/api/v1/customer-imports/${importId}/fix.csv`;
    const rows = await download(nbToken, url, ';');
    expect(rows.map((cells) => cells[0])).toEqual([
      'Importfeil',
      'E-post: Ikke en gyldig e-postadresse',
      'E-post: Samme e-postadresse som rad 2; raden ble ikke importert to ganger',
      `E-post: Kunde #${perNumber} har allerede denne e-postadressen (velg «Opprett og oppdater» for å oppdatere kunden)`,
      'Kundetype: Ingen kundetype heter «Privat»',
      'E-post: Det trengs en e-postadresse eller et mobilnummer',
      'Fornavn: Høyst 100 tegn',
    ]);
    expect(rows[0]?.slice(1)).toEqual(['E-post', 'Fornavn', 'Kundetype', 'Kundenivå']);
    expect(rows[2]?.slice(1)).toEqual(['OLA@nordmann.no', 'Ola igjen', '', '']);

    const machine = await download(nbToken, `${url}?headers=machine`, ';');
    expect(machine.map((cells) => cells[0]).slice(0, 3)).toEqual([
      'import_error',
      'E-post: not an email address',
      'E-post: same email address as row 2; the row was not imported twice',
    ]);
    const english = await download(enToken, url, ';');
    expect(english[0]?.[0]).toBe('Import error');
    expect(english[1]?.[0]).toBe('E-post: not an email address');

    // The Norwegian fix file, uploaded again: "Importfeil" is neither data nor unknown.
    const fixed = await call(nbToken, 'GET', url);
    const upload = await call(
      nbToken,
      'POST',
      '/api/v1/customer-imports',
      Buffer.from(fixed.text, 'utf8'),
    );
    expect(upload.status, upload.text).toBe(201);
    const preview = upload.json as {
      import: { mapping: (string | null)[] };
      unknownColumns: string[];
    };
    expect(preview.import.mapping).toEqual([null, 'email', 'first_name', 'type', 'field:tier']);
    expect(preview.unknownColumns).toEqual([]);
  });

  it('refuses a language it does not have, naming the parameter', async () => {
    const bad = await call(
      nbToken,
      'GET',
      `/api/v1/customer-imports/${importId}/fix.csv?language=de`,
    );
    expect(bad.status).toBe(422);
    expect((bad.json as { errors: { field: string }[] }).errors[0]?.field).toBe('language');
  });
});
