// The HTTP edge over real HTTP: authentication, permissions, problem+json errors, OpenAPI.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describe.each(testDialects())('HTTP API on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let adminToken: string;

  async function call(
    method: string,
    path: string,
    options: {
      token?: string;
      cookie?: string;
      body?: unknown;
      headers?: Record<string, string>;
      raw?: string;
    } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie) headers.cookie = options.cookie;
    if (options.body !== undefined || options.raw !== undefined)
      headers['content-type'] ??= 'application/json';
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    const admin = account.admin;
    adminToken = (
      await server.services.agents.createToken(account.accountId, admin.userId ?? '', 'test')
    ).token;
  });
  afterAll(() => server.close());

  it('answers health and publishes OpenAPI 3.1 with the customer routes and a docs page', async () => {
    expect((await call('GET', '/api/health')).body).toEqual({ status: 'ok', database: 'ok' });
    const doc = (await call('GET', '/api/openapi.json')).body as {
      openapi: string;
      info: { version: string };
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    // The Swagger page shows info.version: the package's, not a placeholder (issue 16).
    const pkg = JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8'),
    ) as { version: string };
    expect(doc.info.version).toBe(pkg.version);
    expect(doc.info.version).not.toBe('0.0.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/customers',
        '/api/v1/customers/{id}',
        '/api/v1/customers/{id}/audit',
      ]),
    );
    expect(doc.components.schemas).toHaveProperty('Customer');
    const docs = await fetch(`${server.url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
    expect((await fetch(`${server.url}/api/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('logs in with a fresh HttpOnly SameSite session, and logs out', async () => {
    const login = await call('POST', '/api/v1/session', {
      body: { email: account.adminEmail.toUpperCase(), password: account.password },
    });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/kunde_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(';')[0] ?? '';
    expect((await call('GET', '/api/v1/session', { cookie })).body).toMatchObject({
      user: { email: account.adminEmail },
    });

    const again = await call('POST', '/api/v1/session', {
      cookie,
      body: { email: account.adminEmail, password: account.password },
    });
    const rotated = (again.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(rotated).not.toBe(cookie);
    expect((await call('GET', '/api/v1/session', { cookie })).status).toBe(401);

    expect((await call('DELETE', '/api/v1/session', { cookie: rotated })).status).toBe(204);
    expect((await call('GET', '/api/v1/session', { cookie: rotated })).status).toBe(401);
  });

  it('gives the same answer for an unknown email as for a wrong password, then throttles', async () => {
    const unknown = await call('POST', '/api/v1/session', {
      body: { email: `${unique('ghost')}@example.com`, password: 'whatever1' },
    });
    const wrong = await call('POST', '/api/v1/session', {
      body: { email: account.adminEmail, password: 'wrong password' },
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.code).toBe('invalid_credentials');
    expect({ ...unknown.body }).toEqual({ ...wrong.body });

    const target = `${unique('victim')}@example.com`;
    let last: Answer | undefined;
    for (let i = 0; i < 11; i++)
      last = await call('POST', '/api/v1/session', {
        body: { email: target, password: 'guess guess' },
      });
    expect(last?.status).toBe(429);
    expect(last?.body.code).toBe('rate_limited');
    expect(last?.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('refuses requests without credentials, with a bad token, and from another origin', async () => {
    const anonymous = await call('GET', '/api/v1/customers');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await call('GET', '/api/v1/customers', { token: 'kunde.nope.nope' })).body.code).toBe(
      'invalid_token',
    );

    const login = await call('POST', '/api/v1/session', {
      body: { email: account.adminEmail, password: account.password },
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const forged = await call('POST', '/api/v1/customers', {
      cookie,
      body: { email: `${unique('x')}@example.com` },
      headers: { origin: 'https://evil.example' },
    });
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('cross_origin');
  });

  it('checks permissions on the server: an Agent may edit customers but not manage agents or settings', async () => {
    const agentEmail = `${unique('agent')}@example.com`;
    const created = await call('POST', '/api/v1/users', {
      token: adminToken,
      body: { email: agentEmail, name: 'Kari Agent', password: 'agent password' },
    });
    expect(created.status).toBe(201);
    expect(created.body.roleName).toBe('Agent');
    const agentToken =
      (
        await call('POST', '/api/v1/session', {
          body: { email: agentEmail, password: 'agent password' },
        })
      ).status === 200
        ? (await server.services.agents.createTokenForEmail(agentEmail, 'agent')).token
        : '';
    expect(
      (
        await call('POST', '/api/v1/customers', {
          token: agentToken,
          body: { email: `${unique('c')}@example.com` },
        })
      ).status,
    ).toBe(201);
    const users = await call('GET', '/api/v1/users', { token: agentToken });
    expect(users.status).toBe(403);
    expect(users.body).toMatchObject({ code: 'forbidden', permission: 'agents.manage' });
    expect(
      (
        await call('PATCH', '/api/v1/settings', {
          token: agentToken,
          body: { phoneDefaultCountry: 'SE' },
        })
      ).status,
    ).toBe(403);
  });

  it('revokes API tokens', async () => {
    const created = await call('POST', '/api/v1/tokens', {
      token: adminToken,
      body: { name: 'temporary' },
    });
    const token = created.body.token as string;
    expect(token).toMatch(/^kunde\./);
    expect((await call('GET', '/api/v1/customers', { token })).status).toBe(200);
    expect(
      (await call('DELETE', `/api/v1/tokens/${created.body.id as string}`, { token: adminToken }))
        .status,
    ).toBe(204);
    expect((await call('GET', '/api/v1/customers', { token })).status).toBe(401);
  });

  it('turns bad input into clear problem+json errors, never a 500', async () => {
    const invalid = await call('POST', '/api/v1/customers', {
      token: adminToken,
      body: {
        email: 'not-an-email',
        phone: '12',
        customAttributes: { tier: { nested: true } },
        colour: 'red',
      },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('validation_failed');
    const fields = (invalid.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['colour', 'customAttributes.tier']);

    const identities = await call('POST', '/api/v1/customers', {
      token: adminToken,
      body: { email: 'not-an-email', phone: '12' },
    });
    expect(identities.body.errors).toEqual([
      { field: 'email', code: 'not_an_email', message: 'not an email address' },
      {
        field: 'phone',
        code: 'not_a_phone',
        message: 'not a valid phone number (national numbers are read as NO)',
      },
    ]);

    expect(
      (await call('POST', '/api/v1/customers', { token: adminToken, raw: '{"email": ' })).body.code,
    ).toBe('malformed_json');
    const huge = await call('POST', '/api/v1/customers', {
      token: adminToken,
      raw: JSON.stringify({ firstName: 'x'.repeat(2_000_000) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('body_too_large');
    expect(
      (
        await call('POST', '/api/v1/customers', {
          token: adminToken,
          raw: 'email=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(415);
    expect((await call('GET', '/api/v1/customers/not-a-uuid', { token: adminToken })).status).toBe(
      422,
    );
    expect(
      (
        await call('GET', '/api/v1/customers/01a20fe0-4b98-7366-b276-ebcf97e684f7', {
          token: adminToken,
        })
      ).status,
    ).toBe(404);
    expect(
      (await call('GET', '/api/v1/customers?limit=500', { token: adminToken })).body.errors,
    ).toEqual([
      {
        field: 'limit',
        code: 'too_large',
        params: { max: 200 },
        message: expect.stringMatching(/200/) as string,
      },
    ]);
    expect((await call('GET', '/api/v1/nothing-here', { token: adminToken })).body.code).toBe(
      'route_not_found',
    );
  });

  it('refuses a stale edit sent with If-Match', async () => {
    const created = await call('POST', '/api/v1/customers', {
      token: adminToken,
      body: { email: `${unique('etag')}@example.com` },
    });
    const id = created.body.id as string;
    expect(created.headers.get('etag')).toBe('"1"');
    const first = await call('PATCH', `/api/v1/customers/${id}`, {
      token: adminToken,
      body: { firstName: 'Kari' },
      headers: { 'if-match': '"1"' },
    });
    expect(first.status).toBe(200);
    const stale = await call('PATCH', `/api/v1/customers/${id}`, {
      token: adminToken,
      body: { firstName: 'Per' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
  });

  it('creates customers through the API with createdVia "api" and lists them with total and cursor', async () => {
    const created = await call('POST', '/api/v1/customers', {
      token: adminToken,
      body: { phone: '+47 400 00 123', firstName: 'Api' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ createdVia: 'api', phone: '+4740000123' });
    const list = await call('GET', '/api/v1/customers?limit=1', { token: adminToken });
    expect(list.body.items).toHaveLength(1);
    expect(typeof list.body.total).toBe('number');
    expect(typeof list.body.nextCursor).toBe('string');
    const audit = await call('GET', `/api/v1/customers/${created.body.id as string}/audit`, {
      token: adminToken,
    });
    expect(audit.body).toMatchObject({
      total: 1,
      items: [{ action: 'created', actor: { type: 'token', name: 'Ada Admin' } }],
    });
  });

  it('remembers the agent language choice', async () => {
    const login = await call('POST', '/api/v1/session', {
      body: { email: account.adminEmail, password: account.password },
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(
      (await call('PATCH', '/api/v1/me', { cookie, body: { locale: 'nb' } })).body,
    ).toMatchObject({ user: { locale: 'nb' } });
    expect((await call('GET', '/api/v1/session', { cookie })).body).toMatchObject({
      user: { locale: 'nb' },
    });
    expect((await call('PATCH', '/api/v1/me', { cookie, body: { locale: 'de' } })).status).toBe(
      422,
    );
  });

  it('validates settings: an unknown country is refused', async () => {
    const bad = await call('PATCH', '/api/v1/settings', {
      token: adminToken,
      body: { phoneDefaultCountry: 'XX' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      {
        field: 'phoneDefaultCountry',
        code: 'not_a_country_code',
        message: 'XX is not a country with phone numbers',
      },
    ]);
  });
});
