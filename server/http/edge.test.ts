// Hostile input at the HTTP edge, over real HTTP on both databases: control characters anywhere,
// odd search queries, a null Origin, broken multipart uploads, empty path segments and other
// accounts' organizations all get a clear 4xx, and nothing is written.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { buildApp } from './app.ts';

interface Answer {
  status: number;
  type: string;
  text: string;
  body: Record<string, unknown>;
}

describe.each(testDialects())('the HTTP edge refuses hostile input on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let token: string;

  async function call(method: string, url: string, init: RequestInit = {}): Promise<Answer> {
    const headers = new Headers(init.headers);
    if (!headers.has('cookie')) headers.set('authorization', `Bearer ${token}`);
    if (typeof init.body === 'string' && !headers.has('content-type'))
      headers.set('content-type', 'application/json');
    const response = await fetch(`${server.url}${url}`, { ...init, method, headers });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const body = type.includes('json') && text ? (JSON.parse(text) as Record<string, unknown>) : {};
    return { status: response.status, type, text, body };
  }

  const customerTotal = async () =>
    (await call('GET', '/api/v1/customers?status=all')).body.total as number;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
    for (const [firstName, email] of [
      ['Ola', 'ola.hostile@example.com'],
      ['Kari', 'kari.hostile@example.com'],
      ['Per', 'per.hostile@example.com'],
    ] as const) {
      expect(
        (await call('POST', '/api/v1/customers', { body: JSON.stringify({ firstName, email }) }))
          .status,
      ).toBe(201);
    }
  });
  afterAll(() => server.close());

  it('refuses a NUL in any JSON string with 422 naming the field, and writes nothing', async () => {
    const organization = await call('POST', '/api/v1/organizations', {
      body: JSON.stringify({ name: 'Hostile AS' }),
    });
    expect(organization.status).toBe(201);
    const before = await customerTotal();
    const cases: [string, string, unknown, string][] = [
      [
        'POST',
        '/api/v1/customers',
        { firstName: 'a\u0000b', email: 'nul@example.com' },
        'firstName',
      ],
      ['POST', '/api/v1/customers', { email: 'x@example.com', tags: ['ok', 'b\u0000'] }, 'tags.1'],
      ['POST', '/api/v1/organizations', { name: 'Nul\u0000 AS' }, 'name'],
      [
        'PATCH',
        `/api/v1/organizations/${String(organization.body.id)}`,
        { name: '\u0000' },
        'name',
      ],
      ['POST', '/api/v1/customer-types', { name: 'VIP\u0000' }, 'name'],
      ['POST', '/api/v1/teams', { name: 'Team\u0000' }, 'name'],
      [
        'POST',
        '/api/v1/tickets',
        { subject: 'Hi\u0000', message: 'x', requester: { email: 'a@example.com' } },
        'subject',
      ],
      ['POST', '/api/v1/customers', { email: 'lone@example.com', lastName: '\ud800' }, 'lastName'],
    ];
    for (const [method, url, body, field] of cases) {
      const answer = await call(method, url, { body: JSON.stringify(body) });
      expect(answer.status, `${method} ${url}`).toBe(422);
      expect(answer.type).toMatch(/application\/problem\+json/);
      expect(answer.body.code).toBe('validation_failed');
      expect(answer.body.errors).toContainEqual({
        field,
        code: 'control_character',
        params: { character: expect.stringMatching(/^U\+/) as unknown },
        message: expect.stringMatching(/^contains a control character \(U\+/) as unknown,
      });
    }
    expect(await customerTotal()).toBe(before);
    const names = (await call('GET', '/api/v1/organizations')).body.items as { name: string }[];
    expect(names.map((o) => o.name)).not.toContainEqual(expect.stringMatching(/Nul|\u0000/));
    expect(names.map((o) => o.name)).toContain('Hostile AS');
  });

  it('refuses a NUL in the search with 422 naming "q", on the list and before any byte of the export', async () => {
    for (const url of [
      '/api/v1/customers?q=%00',
      '/api/v1/customers?q=abc%00',
      '/api/v1/customers/export.csv?q=%00',
      '/api/v1/customers/export.csv?q=abc%00',
    ]) {
      const answer = await call('GET', url);
      expect(answer.status, url).toBe(422);
      expect(answer.type).toMatch(/application\/problem\+json/);
      expect(answer.body.errors).toEqual([
        {
          field: 'q',
          code: 'control_character',
          params: { character: 'U+0000' },
          message: 'contains a control character (U+0000)',
        },
      ]);
      expect(answer.text).not.toContain('hostile@example.com');
    }
  });

  it('answers odd searches without a 5xx and never matches everything', async () => {
    const odd = [
      '"',
      '""',
      '*',
      'ola*',
      '"ola"',
      'AND',
      'ola AND kari',
      'NEAR(ola kari)',
      'NOT',
      "'; drop table customers; --",
      '%',
      '_',
      '\\',
      '!!!',
      '^',
      '{}',
      'a"b',
      '+',
      '-',
    ];
    for (const q of odd) {
      const answer = await call('GET', `/api/v1/customers?q=${encodeURIComponent(q)}`);
      expect(answer.status, q).toBe(200);
      expect(answer.body.total, q).toBe(0);
      const exported = await call('GET', `/api/v1/customers/export.csv?q=${encodeURIComponent(q)}`);
      expect(exported.status, q).toBe(200);
      expect(exported.text, q).not.toContain('hostile@example.com');
    }
    expect((await call('GET', '/api/v1/customers?q=ola')).body.total).toBe(1);
    expect(
      (await call('GET', `/api/v1/customers?q=${encodeURIComponent('"ola.hostile')}`)).body.total,
    ).toBe(0);
    // A query that folds to nothing is the plain list.
    expect((await call('GET', '/api/v1/customers?q=%20%20%20')).body.total).toBe(3);
    const long = await call('GET', `/api/v1/customers?q=${'x'.repeat(10_000)}`);
    expect(long.status).toBe(422);
    expect(long.body.errors).toEqual([
      {
        field: 'q',
        code: 'too_long',
        params: { max: 200 },
        message: expect.stringMatching(/200/) as unknown,
      },
    ]);
  });

  it('says a value of the wrong type is the wrong type, and "required" only when it is missing', async () => {
    const limit = await call('GET', '/api/v1/customers?limit=abc');
    expect(limit.status).toBe(422);
    expect(limit.body.errors).toEqual([
      {
        field: 'limit',
        code: 'not_a_number',
        message: 'Invalid input: expected number, received NaN',
      },
    ]);
    const wrong = await call('POST', '/api/v1/customer-types', {
      body: JSON.stringify({ name: 12 }),
    });
    expect(wrong.body.errors).toEqual([
      {
        field: 'name',
        code: 'wrong_type',
        params: { expected: 'string' },
        message: 'Invalid input: expected string, received number',
      },
    ]);
    const missing = await call('POST', '/api/v1/customer-types', { body: '{}' });
    expect(missing.body.errors).toEqual([{ field: 'name', code: 'required', message: 'required' }]);
  });

  it('refuses cursors it did not give out with 422 naming "cursor", on every list', async () => {
    const customer = (await call('GET', '/api/v1/customers')).body.items as { id: string }[];
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const cursors = [
      'zzz',
      b64('{"n":1.5}'),
      b64('{"n":1e308}'),
      b64('{"n":-1e308}'),
      b64('{"n":"12"}'),
      b64('{"id":"a\\u0000b"}'),
      b64('{"id":"\\ud800"}'),
      b64('{"name":"a\\u0000","id":"x"}'),
      b64('{"name":1,"id":2}'),
      b64('[]'),
    ];
    for (const list of [
      '/api/v1/customers',
      '/api/v1/organizations',
      '/api/v1/tickets',
      `/api/v1/customers/${customer[0]!.id}/audit`,
      `/api/v1/customers/${customer[0]!.id}/tickets`,
    ]) {
      for (const cursor of cursors) {
        const answer = await call('GET', `${list}?cursor=${cursor}`);
        expect(answer.status, `${list} ${Buffer.from(cursor, 'base64url').toString()}`).toBe(422);
        expect(answer.body.errors).toEqual([
          { field: 'cursor', code: 'invalid_cursor', message: 'not a cursor this API gave out' },
        ]);
      }
    }
  });

  it('refuses cookie-authenticated writes with Origin null or an unparsable Origin with 403 cross_origin', async () => {
    const login = await call('POST', '/api/v1/session', {
      headers: { cookie: 'none=1' },
      body: JSON.stringify({ email: account.adminEmail, password: account.password }),
    });
    expect(login.status).toBe(200);
    const before = await customerTotal();
    for (const origin of ['null', 'not a url', 'http://', '://x', 'http://[::1']) {
      const answer = await call('POST', '/api/v1/customers', {
        headers: { cookie: 'kunde_session=forged', origin },
        body: JSON.stringify({ email: 'origin@example.com' }),
      });
      expect(answer.status, origin).toBe(403);
      expect(answer.body.code).toBe('cross_origin');
    }
    expect(await customerTotal()).toBe(before);
  });

  it('answers a multipart upload without a boundary or cut short with 400 malformed_multipart, importing nothing', async () => {
    const imports = async () => (await call('GET', '/api/v1/customer-imports')).body.total;
    const before = await imports();
    const part =
      '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nemail\r\nnew@example.com\r\n';
    for (const [contentType, body] of [
      ['multipart/form-data', part],
      ['multipart/form-data; boundary=XX', part],
      ['multipart/form-data; boundary=XX', part.slice(0, 30)],
    ] as const) {
      const answer = await call('POST', '/api/v1/customer-imports', {
        headers: { 'content-type': contentType },
        body,
      });
      expect(answer.status, `${contentType} ${body.length}`).toBe(400);
      expect(answer.body.code).toBe('malformed_multipart');
      expect(answer.body.detail).toMatch(/boundary|cut short/);
    }
    const named = await call('POST', '/api/v1/customer-imports', {
      headers: { 'content-type': 'multipart/form-data; boundary=XX' },
      body: `${part.replace('a.csv', 'a\u0000.csv')}--XX--\r\n`,
    });
    expect(named.status).toBe(422);
    expect(named.body.errors).toEqual([
      {
        field: 'filename',
        code: 'control_character',
        params: { character: 'U+0000' },
        message: 'contains a control character (U+0000)',
      },
    ]);
    expect(await imports()).toBe(before);
  });

  it('answers requests Node cannot parse (a control character in a header, 20 KB of headers) as problem+json', async () => {
    const { port } = new URL(server.url);
    for (const [headers, status, code] of [
      ['X-Bad: a\u0001b\r\n', 400, 'bad_request'],
      [`X-Big: ${'x'.repeat(20_000)}\r\n`, 431, 'headers_too_large'],
    ] as const) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          socket.write(`GET /api/v1/customers HTTP/1.1\r\nHost: x\r\n${headers}\r\n`);
        });
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
        status,
        code,
      });
    }
  });

  it('answers an empty path segment with 404, also when the console is served', async () => {
    const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-web-'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Kunde</title>');
    const app = await buildApp({ services: server.services, webRoot, logLevel: 'warn' });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      for (const base of [server.url, url]) {
        for (const p of ['/api/v1//customer-types', '/api//v1/customers', '/api/v1/customers//x']) {
          const response = await fetch(`${base}${p}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          const body = (await response.json()) as { status: number; code: string };
          expect(response.status, p).toBe(404);
          expect(body).toMatchObject({ status: 404, code: 'route_not_found' });
        }
      }
      const page = await fetch(`${url}/customers`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Kunde</title>');
    } finally {
      await app.close();
      fs.rmSync(webRoot, { recursive: true, force: true });
    }
  });

  it("answers another account's organization and its sub-resources with 404", async () => {
    const other = await createTestAccount(server.services);
    const foreign = await server.services.organizations.create(other.admin, {
      name: 'Elsewhere AS',
      domains: ['elsewhere.example'],
    });
    const id = foreign.id;
    const ruleId = '00000000-0000-4000-8000-000000000000';
    for (const [method, url, body] of [
      ['GET', `/api/v1/organizations/${id}`],
      ['GET', `/api/v1/organizations/${id}/rules`],
      ['POST', `/api/v1/organizations/${id}/rules`, { assigneeId: ruleId }],
      ['DELETE', `/api/v1/organizations/${id}/rules/${ruleId}`],
      ['GET', `/api/v1/organizations/${id}/domains/elsewhere.example`],
      ['POST', `/api/v1/organizations/${id}/domains/elsewhere.example/group`],
      ['DELETE', `/api/v1/organizations/${id}/domains/elsewhere.example`],
      ['POST', `/api/v1/organizations/${id}/domains`, { domain: 'mine.example' }],
      ['POST', `/api/v1/organizations/${id}/customers`, { customerIds: [ruleId] }],
    ] as [string, string, unknown?][]) {
      const answer = await call(
        method,
        url,
        body === undefined ? {} : { body: JSON.stringify(body) },
      );
      expect(answer.status, `${method} ${url}`).toBe(404);
      expect(answer.body.code, `${method} ${url}`).toBe('organization_not_found');
    }
    expect(await server.services.routingRules.list(other.accountId, id)).toEqual([]);
  });
});
