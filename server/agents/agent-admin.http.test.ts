// Administering agents over real HTTP (issue 13 item 1): editing name, login email, role, teams
// and language; deactivation ending sessions and API tokens at once and reactivation; and the
// last-administrator rule, also when two administrators demote each other at the same moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../common/auth.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { call, login, type Credential } from './agents-http.testkit.ts';

const PASSWORD = 'correct horse battery';

describe.each(testDialects())('administering agents over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let admin: Credential;
  let adminRoleId: string;
  let agentRoleId: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    admin = { cookie: (await login(server, account.adminEmail, account.password)).cookie };
    const roles = await server.services.roles.list(account.accountId);
    adminRoleId = roles.find((r) => r.builtIn === 'administrator')?.id ?? '';
    agentRoleId = roles.find((r) => r.builtIn === 'agent')?.id ?? '';
  }, 60_000);
  afterAll(() => server.close());

  async function newAgent(roleId?: string) {
    const email = `${unique('agent')}@example.com`;
    const created = await call(server, admin, 'POST', '/api/v1/users', {
      email,
      name: 'Siv Support',
      password: PASSWORD,
      roleId,
    });
    expect(created.status).toBe(201);
    return { ...(created.body as unknown as User), email };
  }

  it('edits name, login email, role, teams and language; the agent logs in with the new email', async () => {
    const agent = await newAgent();
    const team = await server.services.teams.create(account.accountId, {
      name: unique('Førstelinje'),
      memberIds: [],
    });
    const newEmail = `${unique('renamed')}@example.com`;
    const edited = await call(server, admin, 'PATCH', `/api/v1/users/${agent.id}`, {
      name: 'Siv Sjef',
      email: newEmail.toUpperCase(),
      roleId: adminRoleId,
      teamIds: [team.id],
      locale: 'nb',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      name: 'Siv Sjef',
      email: newEmail,
      roleName: 'Administrator',
      teamIds: [team.id],
      locale: 'nb',
      status: 'active',
    });
    expect(Date.parse(String(edited.body.updatedAt))).toBeGreaterThanOrEqual(
      Date.parse(agent.updatedAt),
    );
    const read = await call(server, admin, 'GET', `/api/v1/users/${agent.id}`);
    expect(read.body).toMatchObject({ email: newEmail, teamIds: [team.id] });
    expect(
      (await server.services.teams.list(account.accountId)).find((t) => t.id === team.id),
    ).toMatchObject({ memberIds: [agent.id] });
    expect((await login(server, agent.email, PASSWORD)).status).toBe(401);
    expect((await login(server, newEmail, PASSWORD)).status).toBe(200);

    const cleared = await call(server, admin, 'PATCH', `/api/v1/users/${agent.id}`, {
      teamIds: [],
    });
    expect(cleared.body).toMatchObject({ teamIds: [], name: 'Siv Sjef' });
  });

  it('refuses an email another agent logs in with, in this account or another (409 with a code)', async () => {
    const agent = await newAgent();
    const other = await newAgent();
    const elsewhere = await createTestAccount(server.services);
    for (const email of [other.email, elsewhere.adminEmail]) {
      const refused = await call(server, admin, 'PATCH', `/api/v1/users/${agent.id}`, {
        email,
        name: 'Not Saved',
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'user_email_taken',
        errors: [
          { field: 'email', code: 'already_used', message: 'already used by another agent' },
        ],
      });
    }
    // Nothing of the refused change was kept, and the agent still logs in as before.
    expect((await call(server, admin, 'GET', `/api/v1/users/${agent.id}`)).body).toMatchObject({
      email: agent.email,
      name: 'Siv Support',
    });
    expect((await login(server, agent.email, PASSWORD)).status).toBe(200);
  });

  it('names the field when the role or a team does not exist (422 with codes)', async () => {
    const agent = await newAgent();
    const missing = '00000000-0000-4000-8000-000000000000';
    const role = await call(server, admin, 'PATCH', `/api/v1/users/${agent.id}`, {
      roleId: missing,
    });
    expect(role.status).toBe(422);
    expect(role.body.errors).toEqual([
      { field: 'roleId', code: 'unknown_reference', message: 'no such role' },
    ]);
    const team = await call(server, admin, 'PATCH', `/api/v1/users/${agent.id}`, {
      teamIds: [missing],
    });
    expect(team.status).toBe(422);
    expect(team.body.errors).toEqual([
      {
        field: 'teamIds',
        code: 'unknown_reference',
        message: `no team ${missing}`,
      },
    ]);
  });

  it('deactivation ends the agent’s session and API tokens at once; reactivation lets them log in', async () => {
    const agent = await newAgent();
    const session: Credential = { cookie: (await login(server, agent.email, PASSWORD)).cookie };
    const token = (await call(server, session, 'POST', '/api/v1/tokens', { name: 'CI' })).body;
    const bearer: Credential = { token: String(token.token) };
    expect((await call(server, session, 'GET', '/api/v1/customers')).status).toBe(200);
    expect((await call(server, bearer, 'GET', '/api/v1/customers')).status).toBe(200);

    const off = await call(server, admin, 'POST', `/api/v1/users/${agent.id}/deactivate`);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ status: 'deactivated' });
    expect((await call(server, session, 'GET', '/api/v1/session')).status).toBe(401);
    expect((await call(server, bearer, 'GET', '/api/v1/customers')).status).toBe(401);
    expect((await login(server, agent.email, PASSWORD)).status).toBe(401);
    const rows = await server.services.db.kysely
      .selectFrom('sessions')
      .select('id_hash')
      .where('account_id', '=', account.accountId)
      .where('user_id', '=', agent.id)
      .execute();
    expect(rows).toEqual([]);

    const on = await call(server, admin, 'POST', `/api/v1/users/${agent.id}/reactivate`);
    expect(on.body).toMatchObject({ status: 'active' });
    const again = await login(server, agent.email, PASSWORD);
    expect(again.status).toBe(200);
    expect((await call(server, { cookie: again.cookie }, 'GET', '/api/v1/session')).status).toBe(
      200,
    );
    // What deactivation ended stays ended.
    expect((await call(server, session, 'GET', '/api/v1/session')).status).toBe(401);
    expect((await call(server, bearer, 'GET', '/api/v1/customers')).status).toBe(401);
  });

  it('keeps the last active administrator: no deactivating or demoting them (409 last_administrator)', async () => {
    const solo = await createTestAccount(server.services);
    const soloAdmin: Credential = {
      cookie: (await login(server, solo.adminEmail, solo.password)).cookie,
    };
    const soloRoles = await server.services.roles.list(solo.accountId);
    const soloAgentRole = soloRoles.find((r) => r.builtIn === 'agent')?.id;
    const me = solo.admin.userId ?? '';
    // An invited administrator (no password yet) cannot log in, so does not count.
    const invited = await call(server, soloAdmin, 'POST', '/api/v1/users', {
      email: `${unique('invited')}@example.com`,
      name: 'Ivar Invitert',
      roleId: soloRoles.find((r) => r.builtIn === 'administrator')?.id,
    });
    expect(invited.body).toMatchObject({ status: 'invited', roleName: 'Administrator' });

    const off = await call(server, soloAdmin, 'POST', `/api/v1/users/${me}/deactivate`);
    expect(off.status).toBe(409);
    expect(off.body).toMatchObject({
      code: 'last_administrator',
      detail: 'The account must keep at least one active administrator',
    });
    const demote = await call(server, soloAdmin, 'PATCH', `/api/v1/users/${me}`, {
      roleId: soloAgentRole,
      name: 'Not Saved',
    });
    expect(demote.status).toBe(409);
    expect(demote.body).toMatchObject({ code: 'last_administrator' });
    expect((await call(server, soloAdmin, 'GET', `/api/v1/users/${me}`)).body).toMatchObject({
      roleName: 'Administrator',
      status: 'active',
      name: 'Ada Admin',
    });
  });

  it('lets only one of two administrators demoting each other at once succeed', async () => {
    const pair = await createTestAccount(server.services);
    const first: Credential = {
      cookie: (await login(server, pair.adminEmail, pair.password)).cookie,
    };
    const roles = await server.services.roles.list(pair.accountId);
    const adminRole = roles.find((r) => r.builtIn === 'administrator')?.id;
    const agentRole = roles.find((r) => r.builtIn === 'agent')?.id;
    const secondEmail = `${unique('second')}@example.com`;
    const created = await call(server, first, 'POST', '/api/v1/users', {
      email: secondEmail,
      name: 'Bjørn Admin',
      password: PASSWORD,
      roleId: adminRole,
    });
    const second: Credential = { cookie: (await login(server, secondEmail, PASSWORD)).cookie };
    const firstId = pair.admin.userId ?? '';
    const secondId = String(created.body.id);

    const results = await Promise.all([
      call(server, first, 'PATCH', `/api/v1/users/${secondId}`, { roleId: agentRole }),
      call(server, second, 'PATCH', `/api/v1/users/${firstId}`, { roleId: agentRole }),
    ]);
    // The loser is refused either inside the transaction (409, it counted after the winner) or,
    // when the winner committed before it was authorized, as no longer an administrator (403).
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect([403, 409]).toContain(results.find((r) => r.status !== 200)?.status);
    const admins = async () =>
      (await server.services.agentAdmin.list(pair.accountId)).filter(
        (a) => a.roleId === adminRole && a.status === 'active',
      );
    expect(await admins()).toHaveLength(1);

    // Past authorization, both at once inside their transactions: the lock decides, 409.
    const [winner] = await admins();
    const loserId = winner?.id === firstId ? secondId : firstId;
    await server.services.agentAdmin.update(pair.accountId, loserId, { roleId: adminRole });
    const settled = await Promise.allSettled([
      server.services.agentAdmin.update(pair.accountId, firstId, { roleId: agentRole }),
      server.services.agentAdmin.deactivate(pair.accountId, secondId),
    ]);
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = settled.find((r) => r.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({
      status: 409,
      code: 'last_administrator',
    });
    expect(await admins()).toHaveLength(1);
    expect(agentRoleId).toBeTruthy();
  });
});
