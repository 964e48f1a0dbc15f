// The platform API over real HTTP: with KUNDE_PLATFORM_TOKEN a hosting provider creates and
// lists accounts, each a support team of its own; without it the API does not exist (404).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

const PLATFORM_TOKEN = 'platform-token-for-tests-0123456789abcdef';

async function call(
  server: TestServer,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; cookie?: string } = {},
) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

describe.each(testDialects())('platform API over HTTP on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ dialect, platformToken: PLATFORM_TOKEN });
  });
  afterAll(() => server.close());

  it('creates accounts whose administrators log in to their own account only', async () => {
    const email = `${unique('boss')}@helpdesk.example`;
    const created = await call(server, 'POST', '/api/platform/v1/accounts', {
      token: PLATFORM_TOKEN,
      body: { name: '  Second Team  ', adminEmail: email.toUpperCase(), adminName: 'Berit' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      account: { name: 'Second Team' },
      admin: { email, name: 'Berit' },
    });
    const password = String(created.body.generatedPassword);
    expect(password.length).toBeGreaterThanOrEqual(12);
    const accountId = (created.body.account as { id: string }).id;

    const login = await call(server, 'POST', '/api/v1/session', {
      body: { email, password },
    });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ account: { id: accountId, name: 'Second Team' } });
    expect(login.body.permissions).toContain('agents.manage');
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    // A new account starts empty: the neighbour's customers are not there.
    const customers = await call(server, 'GET', '/api/v1/customers', { cookie });
    expect(customers.body).toMatchObject({ items: [], total: 0 });

    const chosen = await call(server, 'POST', '/api/platform/v1/accounts', {
      token: PLATFORM_TOKEN,
      body: {
        name: 'Third Team',
        adminEmail: `${unique('c')}@x.example`,
        adminPassword: 'a long password',
      },
    });
    expect(chosen.status).toBe(201);
    expect(chosen.body.generatedPassword).toBeUndefined();

    const list = await call(server, 'GET', '/api/platform/v1/accounts', { token: PLATFORM_TOKEN });
    expect(list.status).toBe(200);
    const names = (list.body.items as { name: string }[]).map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['Neighbour AS', 'Second Team', 'Third Team']));
    expect(list.body.total).toBe(names.length);

    // First-run setup stays closed with several accounts.
    expect((await call(server, 'GET', '/api/v1/setup')).body).toMatchObject({ needed: false });
  });

  it('refuses a wrong or missing token, an agent token, and bad input with what and where', async () => {
    const body = { name: 'X', adminEmail: `${unique('x')}@x.example` };
    for (const token of [undefined, 'wrong', `${PLATFORM_TOKEN}x`]) {
      const refused = await call(server, 'POST', '/api/platform/v1/accounts', { token, body });
      expect(refused).toMatchObject({ status: 401, body: { code: 'invalid_platform_token' } });
    }
    const account = await createTestAccount(server.services);
    const agentToken = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
    expect(
      (await call(server, 'GET', '/api/platform/v1/accounts', { token: agentToken })).status,
    ).toBe(401);

    const bad = await call(server, 'POST', '/api/platform/v1/accounts', {
      token: PLATFORM_TOKEN,
      body: { name: '', adminEmail: 'not-an-email', adminPassword: 'short', extra: 1 },
    });
    expect(bad.status).toBe(422);
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'adminPassword']));

    const badEmail = await call(server, 'POST', '/api/platform/v1/accounts', {
      token: PLATFORM_TOKEN,
      body: { name: 'Y', adminEmail: 'not-an-email' },
    });
    expect(badEmail.status).toBe(422);
    expect(badEmail.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);

    const taken = await call(server, 'POST', '/api/platform/v1/accounts', {
      token: PLATFORM_TOKEN,
      body: { name: 'Z', adminEmail: account.adminEmail },
    });
    expect(taken).toMatchObject({ status: 409, body: { code: 'user_email_taken' } });
    const list = await call(server, 'GET', '/api/platform/v1/accounts', { token: PLATFORM_TOKEN });
    expect((list.body.items as { name: string }[]).map((a) => a.name)).not.toContain('Z');
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await call(server, 'GET', '/api/openapi.json');
    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/platform/v1/accounts'] ?? {}).sort()).toEqual(['get', 'post']);
  });
});

describe.each(testDialects())('platform API without KUNDE_PLATFORM_TOKEN on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect });
  });
  afterAll(() => server.close());

  it('is off: 404 as for no route, whatever the token or body, and creates nothing', async () => {
    for (const token of [undefined, PLATFORM_TOKEN, 'kunde.x.y']) {
      for (const body of [undefined, { name: 'X', adminEmail: 'x@x.example' }, { bad: 1 }]) {
        const method = body ? 'POST' : 'GET';
        const response = await call(server, method, '/api/platform/v1/accounts', { token, body });
        expect(response, `${method} ${token}`).toMatchObject({
          status: 404,
          body: { code: 'route_not_found' },
        });
      }
    }
    expect((await server.services.accounts.list()).map((a) => a.name)).toEqual(['Neighbour AS']);
  });
});
