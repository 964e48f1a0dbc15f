// Imports and exports over real HTTP: multipart and raw uploads, the template, the error report,
// the export, limits and permissions.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

describe.each(testDialects())('import and export over HTTP on %s', (dialect) => {
  let server: TestServer;
  let token: string;
  let agentToken: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
    const agentEmail = `${unique('agent')}@example.com`;
    await server.services.agents.createUser(account.accountId, {
      email: agentEmail,
      name: 'Agent',
      password: 'agent password',
    });
    agentToken = (await server.services.agents.createTokenForEmail(agentEmail, 't')).token;
    server.services.worker.start();
  });
  afterAll(async () => {
    await server.services.worker.stop();
    await server.close();
  });

  const auth = (t = token) => ({ authorization: `Bearer ${t}` });

  async function waitDone(id: string) {
    for (let i = 0; i < 100; i++) {
      const view = (await (
        await fetch(`${server.url}/api/v1/customer-imports/${id}`, { headers: auth() })
      ).json()) as { status: string };
      if (view.status === 'done' || view.status === 'failed')
        return view as Record<string, unknown>;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('import did not finish');
  }

  it('serves a template with the built-in columns and an example row', async () => {
    // The machine layout; the localized one is csv-format.http.test.ts's.
    const response = await fetch(
      `${server.url}/api/v1/customer-imports/template.csv?headers=machine`,
      { headers: auth() },
    );
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe('email,phone,first_name,last_name,organization,type');
    expect(text).toContain('ola.nordmann@example.com');
  });

  it('uploads with multipart, previews, starts, reports progress, summary and errors', async () => {
    const form = new FormData();
    form.append(
      'file',
      new Blob([fs.readFileSync(path.join(FIXTURES, 'bad-rows.csv'))], { type: 'text/csv' }),
      'bad-rows.csv',
    );
    const upload = await fetch(`${server.url}/api/v1/customer-imports`, {
      method: 'POST',
      headers: auth(),
      body: form,
    });
    expect(upload.status).toBe(201);
    const preview = (await upload.json()) as {
      import: { id: string; totalRows: number; status: string };
      unknownColumns: string[];
      problems: { row: number }[];
    };
    expect(preview.import).toMatchObject({ totalRows: 13, status: 'preview' });
    expect(preview.unknownColumns).toEqual(['tier', 'since']);
    expect(preview.problems.map((p) => p.row)).toEqual(expect.arrayContaining([3, 4, 13]));
    const start = await fetch(`${server.url}/api/v1/customer-imports/${preview.import.id}/start`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'upsert' }),
    });
    expect(start.status).toBe(202);
    const done = await waitDone(preview.import.id);
    expect(done).toMatchObject({ status: 'done', processedRows: 13 });
    expect(
      (done.created as number) +
        (done.updated as number) +
        (done.unchanged as number) +
        (done.failed as number),
    ).toBe(13);
    const report = await (
      await fetch(`${server.url}/api/v1/customer-imports/${preview.import.id}/errors.csv`, {
        headers: auth(),
      })
    ).text();
    expect(report).toContain('3,email,not-an-email,not an email address');
    const again = await fetch(`${server.url}/api/v1/customer-imports/${preview.import.id}/start`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(again.status).toBe(409);
  });

  it('takes a raw text/csv upload started at once, and answers a replay with the first import', async () => {
    const body = 'email;first_name\r\nraw1@raw.no;Raw\r\n';
    const headers = { ...auth(), 'content-type': 'text/csv', 'idempotency-key': unique('k') };
    const first = await fetch(`${server.url}/api/v1/customer-imports?start=true`, {
      method: 'POST',
      headers,
      body,
    });
    expect(first.status, await first.clone().text()).toBe(201);
    const id = ((await first.json()) as { import: { id: string } }).import.id;
    expect(await waitDone(id)).toMatchObject({ created: 1 });
    const replay = await fetch(`${server.url}/api/v1/customer-imports?start=true`, {
      method: 'POST',
      headers,
      body,
    });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { import: { id: string } }).import.id).toBe(id);
  });

  it('previews files while an import of the same addresses runs, and both finish', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => `race${i}@race.no;Race${i}`);
    const upload = (lines: string[], start: boolean) =>
      fetch(`${server.url}/api/v1/customer-imports${start ? '?start=true' : ''}`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'text/csv', 'idempotency-key': unique('race') },
        body: `email;first_name\r\n${lines.join('\r\n')}\r\n`,
      });
    const running = await upload(rows, true);
    expect(running.status, await running.clone().text()).toBe(201);
    const runningId = ((await running.json()) as { import: { id: string } }).import.id;
    // Each preview's sample names addresses the import is inserting in a batch still open.
    let previews = 0;
    for (let batch = 0; previews < 30; previews++) {
      const from = (batch++ % 3) * 5000;
      const preview = await upload(rows.slice(from, from + 1000), false);
      expect(preview.status, await preview.clone().text()).toBe(201);
      const { sample } = (await preview.json()) as {
        sample: {
          rows: number;
          created: number;
          updated: number;
          unchanged: number;
          failed: number;
        };
      };
      expect(sample.created + sample.updated + sample.unchanged + sample.failed).toBe(sample.rows);
      const view = (await (
        await fetch(`${server.url}/api/v1/customer-imports/${runningId}`, { headers: auth() })
      ).json()) as { status: string };
      if (view.status === 'done') break;
    }
    expect(await waitDone(runningId)).toMatchObject({ created: 12_000, failed: 0 });
  });

  it('refuses what is not CSV with a clear error', async () => {
    const empty = await fetch(`${server.url}/api/v1/customer-imports`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'text/csv' },
      body: '',
    });
    expect(empty.status).toBe(422);
    const broken = await fetch(`${server.url}/api/v1/customer-imports`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'text/csv' },
      body: 'email,name\r\n"unclosed,quote\r\n',
    });
    expect(broken.status).toBe(422);
    expect(
      ((await broken.json()) as { errors: { field: string; message: string }[] }).errors[0],
    ).toMatchObject({
      field: 'file',
      message: 'the file is not valid CSV: a quote opened in row 2 is never closed',
    });
    const noIdentity = await fetch(`${server.url}/api/v1/customer-imports?start=true`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'text/csv' },
      body: 'first_name\r\nOla\r\n',
    });
    expect(noIdentity.status).toBe(422);
    expect(JSON.stringify(await noIdentity.json())).toMatch(/map a column to email or phone/);
  });

  it('exports the list as CSV for agents with the export permission only', async () => {
    const response = await fetch(`${server.url}/api/v1/customers/export.csv?q=raw1`, {
      headers: auth(),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="customers-/);
    const lines = (await response.text()).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('raw1@raw.no');
    expect(
      (await fetch(`${server.url}/api/v1/customers/export.csv`, { headers: auth(agentToken) }))
        .status,
    ).toBe(403);
    expect(
      (
        await fetch(`${server.url}/api/v1/customer-imports/template.csv`, {
          headers: auth(agentToken),
        })
      ).status,
    ).toBe(403);
  });
});
