// Roles over real HTTP (issue 13 item 1): a custom role made by ticking permissions decides what
// its agents may do (without customers.view: 403 on the customer list), changes reach them on
// their next request, it is deleted only once nobody holds it; the built-in Administrator is
// read-only with every permission and the built-in Agent can change but not go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../common/permissions.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { call, login, type Credential } from './agents-http.testkit.ts';

describe.each(testDialects())('roles over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let admin: Credential;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    admin = { cookie: (await login(server, account.adminEmail, account.password)).cookie };
  }, 60_000);
  afterAll(() => server.close());

  it('creates, edits and deletes a custom role; its agents get exactly its permissions', async () => {
    const created = await call(server, admin, 'POST', '/api/v1/roles', {
      name: 'Tickets only',
      permissions: ['tickets.manage', 'tickets.view', 'tickets.view'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Tickets only',
      permissions: ['tickets.view', 'tickets.manage'],
      builtIn: null,
      agentCount: 0,
    });
    const roleId = String(created.body.id);
    const email = `${unique('tove')}@example.com`;
    const agent = await call(server, admin, 'POST', '/api/v1/users', {
      email,
      name: 'Tove Tickets',
      password: 'correct horse battery',
      roleId,
    });
    const session: Credential = {
      cookie: (await login(server, email, 'correct horse battery')).cookie,
    };
    expect((await call(server, session, 'GET', '/api/v1/tickets')).status).toBe(200);
    const refused = await call(server, session, 'GET', '/api/v1/customers');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'forbidden', permission: 'customers.view' });
    expect((await call(server, session, 'GET', '/api/v1/session')).body.permissions).toEqual([
      'tickets.view',
      'tickets.manage',
    ]);

    const edited = await call(server, admin, 'PATCH', `/api/v1/roles/${roleId}`, {
      name: 'Tickets and customers',
      permissions: ['customers.view', 'tickets.view'],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      agentCount: 1,
      permissions: ['customers.view', 'tickets.view'],
    });
    // The next request of the same session already has the new permissions.
    expect((await call(server, session, 'GET', '/api/v1/customers')).status).toBe(200);
    expect((await call(server, session, 'POST', '/api/v1/tickets', {})).status).toBe(403);

    const inUse = await call(server, admin, 'DELETE', `/api/v1/roles/${roleId}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body).toMatchObject({
      code: 'role_in_use',
      agentCount: 1,
      detail: '1 agent has this role; give them another role first',
    });
    const agentRole = (await server.services.roles.list(account.accountId)).find(
      (r) => r.builtIn === 'agent',
    );
    await call(server, admin, 'PATCH', `/api/v1/users/${String(agent.body.id)}`, {
      roleId: agentRole?.id,
    });
    expect((await call(server, admin, 'DELETE', `/api/v1/roles/${roleId}`)).status).toBe(204);
    const names = (await call(server, admin, 'GET', '/api/v1/roles')).body.items as {
      name: string;
    }[];
    expect(names.map((r) => r.name)).not.toContain('Tickets and customers');
  });

  it('refuses a second role of the same name (409 with a code on the field)', async () => {
    await call(server, admin, 'POST', '/api/v1/roles', { name: 'Kveldsvakt', permissions: [] });
    const again = await call(server, admin, 'POST', '/api/v1/roles', {
      name: 'Kveldsvakt',
      permissions: ['tickets.view'],
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'role_name_taken',
      errors: [{ field: 'name', code: 'already_used', message: 'already used by another role' }],
    });
    const unknown = await call(server, admin, 'POST', '/api/v1/roles', {
      name: 'Bad',
      permissions: ['customers.fly'],
    });
    expect(unknown.status).toBe(422);
  });

  it('keeps the built-in Administrator read-only with every permission, and both built-ins', async () => {
    const roles = await server.services.roles.list(account.accountId);
    const adminRole = roles.find((r) => r.builtIn === 'administrator');
    const agentRole = roles.find((r) => r.builtIn === 'agent');
    expect(adminRole?.permissions).toEqual([...PERMISSIONS]);

    const edit = await call(server, admin, 'PATCH', `/api/v1/roles/${adminRole?.id}`, {
      permissions: ['customers.view'],
    });
    expect(edit.status).toBe(409);
    expect(edit.body).toMatchObject({ code: 'role_read_only' });
    for (const role of [adminRole, agentRole]) {
      const gone = await call(server, admin, 'DELETE', `/api/v1/roles/${role?.id}`);
      expect(gone.status).toBe(409);
      expect(gone.body).toMatchObject({ code: 'role_built_in' });
    }
    const agentEdit = await call(server, admin, 'PATCH', `/api/v1/roles/${agentRole?.id}`, {
      permissions: [...(agentRole?.permissions ?? []), 'customers.export'],
    });
    expect(agentEdit.status).toBe(200);
    expect(agentEdit.body.permissions).toContain('customers.export');
    expect(
      (await server.services.roles.list(account.accountId)).find(
        (r) => r.builtIn === 'administrator',
      )?.permissions,
    ).toEqual([...PERMISSIONS]);
  });
});
