// Permissions over real HTTP: every route that declares a permission refuses an agent whose
// role lacks it, every declared permission guards something, and the built-in Agent role cannot
// deactivate or reactivate customers or delete organizations (customers.delete).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type Permission } from '../../common/permissions.ts';
import { newId } from '../db/ids.ts';
import { apiRoutes } from '../http/app.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { insertRole } from './agent.repository.ts';

function isPermission(auth: string): auth is Permission {
  return (PERMISSIONS as readonly string[]).includes(auth);
}

describe.each(testDialects())('permissions over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let adminToken: string;
  /** A token of an agent whose role has every permission but the key. */
  const without = new Map<Permission, string>();
  let agentToken: string;

  async function tokenFor(roleId: string | undefined) {
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
    for (const permission of PERMISSIONS) {
      const roleId = newId();
      await insertRole(
        server.services.db.kysely,
        account.accountId,
        {
          id: roleId,
          name: `Without ${permission}`,
          permissions: PERMISSIONS.filter((p) => p !== permission),
          builtIn: null,
        },
        new Date().toISOString(),
      );
      without.set(permission, await tokenFor(roleId));
    }
    agentToken = await tokenFor(undefined);
  }, 60_000);
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

  it('refuses every route that needs a permission to an agent whose role lacks it (403)', async () => {
    const routes = apiRoutes(server.services).filter((r) => isPermission(r.auth));
    expect(routes.length).toBeGreaterThan(50);
    const wrong: string[] = [];
    for (const route of routes) {
      const permission = route.auth as Permission;
      const path = route.url.replace(/:domain\b/, 'example.com').replace(/:\w+/g, () => newId());
      const refused = await call(without.get(permission) ?? '', route.method, path);
      if (refused.status !== 403 || refused.body.permission !== permission) {
        wrong.push(`${route.method} ${route.url}: ${refused.status} without ${permission}`);
      }
      // The same request with every permission gets past the check: the 403 is the permission.
      const allowed = await call(adminToken, route.method, path);
      if (allowed.status === 403 || allowed.status >= 500)
        wrong.push(`${route.method} ${route.url}: ${allowed.status} for an admin`);
    }
    expect(wrong).toEqual([]);
  });

  it('guards something with every declared permission', () => {
    const used = new Set(apiRoutes(server.services).map((r) => r.auth));
    // scope.all widens what reads return (access/scope.ts); it guards no route of its own.
    expect(PERMISSIONS.filter((p) => p !== 'scope.all' && !used.has(p))).toEqual([]);
  });

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
