// Customer Hub sessions over real HTTP on both databases (issue 14 items 1 and 2): the cookie's
// secret (at least 128 random bits), a new session at every sign-in (the old one ends), signing
// out, sessions ending when access goes off, on deactivation, on erasure (every Hub row of the
// customer gone) and at expiry; and the two principals kept apart: a Hub cookie on every agent
// route and an agent's cookie or API token on every Hub route answer 401.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../agents/agents-http.testkit.ts';
import { apiRoutes } from '../http/app.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { enableHub, hubCall, hubCustomer, signIn } from './hub-http.testkit.ts';

const PASSWORD = 'a session test password';

describe.each(testDialects())('Customer Hub sessions on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let slug: string;
  let agentCookie: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    slug = unique('ses')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    await enableHub(server, account.accountId, slug);
    agentCookie = (await login(server, account.adminEmail, account.password)).cookie;
  }, 60_000);
  afterAll(() => server.close());

  async function signedIn(name = 'Siri Session') {
    const email = `${unique('siri')}@sessions.example`;
    const id = await hubCustomer(server, account.accountId, email, PASSWORD, name);
    const reply = await signIn(server, slug, email, PASSWORD);
    expect(reply.status).toBe(200);
    return { id, email, cookie: reply.cookie };
  }
  const me = (cookie: string) => hubCall(server, 'GET', '/api/hub/v1/me', undefined, cookie);
  const sessionRows = (customerId: string) =>
    server.services.db.kysely
      .selectFrom('hub_sessions')
      .select('id_hash')
      .where('account_id', '=', account.accountId)
      .where('customer_id', '=', customerId)
      .execute();

  it('the cookie carries at least 128 random bits, different at every sign-in, stored only hashed', async () => {
    const { id, email, cookie } = await signedIn();
    const second = (await signIn(server, slug, email, PASSWORD)).cookie;
    const secrets = [cookie, second].map((c) => c.replace(/^kunde_hub=/, '').split('.')[1] ?? '');
    for (const secret of secrets)
      expect(Buffer.from(secret, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(secrets[0]).not.toBe(secrets[1]);
    const hashes = (await sessionRows(id)).map((r) => r.id_hash).join();
    for (const secret of secrets) expect(hashes).not.toContain(secret);
  });

  it('rotates at sign-in: the session the browser came with ends, the new one works', async () => {
    const { email, cookie } = await signedIn();
    const again = await signIn(server, slug, email, PASSWORD, cookie);
    expect(again.cookie).toMatch(/^kunde_hub=/);
    expect(again.cookie).not.toBe(cookie);
    expect((await me(cookie)).status).toBe(401);
    expect((await me(again.cookie)).status).toBe(200);
  });

  it('signing out ends the session and clears the cookie', async () => {
    const { id, cookie } = await signedIn();
    const out = await hubCall(server, 'POST', '/api/hub/v1/sign-out', undefined, cookie);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^kunde_hub=;/);
    expect((await me(cookie)).status).toBe(401);
    expect(await sessionRows(id)).toEqual([]);
    expect((await hubCall(server, 'POST', '/api/hub/v1/sign-out', undefined, cookie)).status).toBe(
      401,
    );
  });

  it('access switched off ends the session at the next request', async () => {
    const { id, cookie } = await signedIn();
    await server.services.db.kysely
      .updateTable('customers')
      .set({ hub_access: 0 })
      .where('account_id', '=', account.accountId)
      .where('id', '=', id)
      .execute();
    expect((await me(cookie)).status).toBe(401);
  });

  it('deactivating the customer ends their sessions', async () => {
    const { id, cookie } = await signedIn();
    const deactivated = await hubCall(
      server,
      'PATCH',
      `/api/v1/customers/${id}`,
      { status: 'deactivated' },
      agentCookie,
    );
    expect(deactivated.status).toBe(200);
    expect((await me(cookie)).status).toBe(401);
    // And a deactivated customer's right password is the same 401 as a wrong one.
    expect((await me(cookie)).body).toMatchObject({ status: 401 });
  });

  it('an expired session is refused', async () => {
    const { id, cookie } = await signedIn();
    await server.services.db.kysely
      .updateTable('hub_sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('account_id', '=', account.accountId)
      .where('customer_id', '=', id)
      .execute();
    expect((await me(cookie)).status).toBe(401);
  });

  it('erasure removes the session, the sign-in, grants and links of the customer', async () => {
    const { id, email, cookie } = await signedIn();
    await hubCall(server, 'POST', `/api/hub/v1/sites/${slug}/sign-in-links`, { email });
    const organization = await server.services.organizations.create(account.admin, {
      name: unique('Granted '),
    });
    await server.services.db.kysely
      .insertInto('hub_organization_grants')
      .values({
        account_id: account.accountId,
        customer_id: id,
        organization_id: organization.id,
        created_at: new Date().toISOString(),
        created_by: null,
      })
      .execute();
    expect(
      (await hubCall(server, 'DELETE', `/api/v1/customers/${id}`, undefined, agentCookie)).status,
    ).toBe(202);
    await server.services.worker.drain();
    expect((await me(cookie)).status).toBe(401);
    for (const table of [
      'hub_sessions',
      'hub_logins',
      'hub_tokens',
      'hub_organization_grants',
    ] as const) {
      const left = await server.services.db.kysely
        .selectFrom(table)
        .select('account_id')
        .where('account_id', '=', account.accountId)
        .where('customer_id', '=', id)
        .execute();
      expect(left, table).toEqual([]);
    }
    const links = await server.services.db.kysely
      .selectFrom('hub_tokens')
      .select('email')
      .where('account_id', '=', account.accountId)
      .where('email', '=', email)
      .execute();
    expect(links).toEqual([]);
  });

  it('a Hub cookie opens no agent route, and an agent credential no Hub route', async () => {
    const { cookie } = await signedIn();
    const token = (
      await server.services.agents.createToken(
        account.accountId,
        account.admin.userId ?? '',
        'cross',
      )
    ).token;
    const routes = apiRoutes(server.services).filter(
      (r) => r.auth !== 'public' && !r.ownCredentials,
    );
    const wrong: string[] = [];
    let hubRoutes = 0;
    for (const route of routes) {
      const path = route.url.replace(/:\w+/g, () => randomUUID());
      const hub = route.url.startsWith('/api/hub/');
      if (hub) hubRoutes += 1;
      const credentials: Record<string, string>[] = hub
        ? [
            { cookie: agentCookie },
            { authorization: `Bearer ${token}` },
            { cookie: `${agentCookie}; kunde_hub=${account.accountId}.forged` },
          ]
        : [{ cookie }];
      for (const headers of credentials) {
        const response = await fetch(`${server.url}${path}`, {
          method: route.method,
          headers: {
            ...headers,
            ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }),
          },
          body: route.method === 'GET' ? undefined : '{}',
        });
        await response.text();
        if (response.status !== 401)
          wrong.push(
            `${route.method} ${route.url} with ${Object.keys(headers).join()}: ${response.status}`,
          );
      }
    }
    expect(hubRoutes).toBeGreaterThanOrEqual(4);
    expect(wrong).toEqual([]);
    // The same Hub cookie is still good where it belongs.
    expect((await me(cookie)).status).toBe(200);
  });
});
