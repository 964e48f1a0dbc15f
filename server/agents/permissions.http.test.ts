// Permissions inside a route over real HTTP: the built-in Agent role may edit a customer but not
// deactivate or reactivate one (the same PATCH, customers.delete for the status) nor delete an
// organization. Which route each permission guards, for every principal and object, is the
// permission matrix's (server/http/permission-matrix.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

describe.each(testDialects())('permissions over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let adminToken: string;
  let agentToken: string;

  async function tokenFor(roleId?: string) {
    const user = await server.services.agents.createUser(account.accountId, {
      email: `${unique('agent')}@example.com`,
      name: 'Role Tester',
      password: 'correct horse battery',
      roleId,
    });
    return (await server.services.agents.createToken(account.accountId, user.id, 't')).token;
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    adminToken = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
    agentToken = await tokenFor();
  });
  afterAll(() => server.close());

  async function call(token: string, method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // CSV and other non-JSON answers
    }
    return { status: response.status, body: parsed };
  }

  it('lets an Agent edit a customer but not deactivate, reactivate or delete an organization', async () => {
    const created = await call(adminToken, 'POST', '/api/v1/customers', {
      email: `${unique('kari')}@example.com`,
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const edited = await call(agentToken, 'PATCH', `/api/v1/customers/${id}`, {
      firstName: 'Kari',
      status: 'active',
    });
    expect(edited.status).toBe(200);
    const deactivate = await call(agentToken, 'PATCH', `/api/v1/customers/${id}`, {
      status: 'deactivated',
    });
    expect(deactivate).toMatchObject({
      status: 403,
      body: { code: 'forbidden', permission: 'customers.delete' },
    });
    const still = await call(adminToken, 'GET', `/api/v1/customers/${id}`);
    expect(still.body).toMatchObject({ status: 'active', firstName: 'Kari' });

    expect(
      (await call(adminToken, 'PATCH', `/api/v1/customers/${id}`, { status: 'deactivated' }))
        .status,
    ).toBe(200);
    const reactivate = await call(agentToken, 'PATCH', `/api/v1/customers/${id}`, {
      status: 'active',
    });
    expect(reactivate.status).toBe(403);
    expect((await call(adminToken, 'GET', `/api/v1/customers/${id}`)).body.status).toBe(
      'deactivated',
    );

    const organization = await call(adminToken, 'POST', '/api/v1/organizations', {
      name: unique('Org '),
    });
    expect(organization.status).toBe(201);
    const orgPath = `/api/v1/organizations/${String(organization.body.id)}`;
    expect((await call(agentToken, 'DELETE', orgPath)).status).toBe(403);
    expect((await call(adminToken, 'GET', orgPath)).status).toBe(200);
    expect((await call(adminToken, 'DELETE', orgPath)).status).toBe(200);
    expect((await call(adminToken, 'GET', orgPath)).status).toBe(404);
  });
});
