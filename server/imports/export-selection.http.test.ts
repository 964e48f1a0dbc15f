// POST /api/v1/customers/export.csv (issue 16) over real HTTP on each dialect: the customers
// selected in the console, as the list's CSV export writes them: exactly those, newest first,
// in the agent's layout; a scoped agent's selection loses the customers outside the scope;
// another account's ids are a 404; without customers.export it is a 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, ensureNeighbour, type TestAccount } from '../test/factories.ts';
import { agentWithout, sessionHeaders } from '../test/permission-agents.ts';
import { createScopedAgent } from '../test/scope-fixtures.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

describe.each(testDialects())('exporting selected customers over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let admin: Record<string, string>;
  const ids: string[] = [];
  let inside = '';
  let outside = '';

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    const token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
    admin = { authorization: `Bearer ${token}` };
    inside = (await server.services.organizations.create(account.admin, { name: 'Inne AS' })).id;
    outside = (await server.services.organizations.create(account.admin, { name: 'Ute AS' })).id;
    for (let n = 1; n <= 4; n++) {
      const customer = await server.services.customers.create(
        account.admin,
        {
          firstName: `Valgt${n}`,
          email: `valgt${n}@utvalg.test`,
          organizationId: n <= 2 ? inside : outside,
        },
        'agent',
      );
      ids.push(customer.id);
    }
  });
  afterAll(() => server.close());

  async function exportSelection(headers: Record<string, string>, body: unknown) {
    const response = await fetch(`${server.url}/api/v1/customers/export.csv`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text(), response };
  }

  it('writes exactly the selected customers, newest first, in the layout asked for', async () => {
    const answer = await exportSelection(admin, {
      customerIds: [ids[0], ids[2], ids[2]],
      headers: 'machine',
      delimiter: 'comma',
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.response.headers.get('content-disposition')).toMatch(/customers-.*\.csv/);
    const lines = answer.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^number,email,/);
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual([
      'valgt3@utvalg.test',
      'valgt1@utvalg.test',
    ]);
  });

  it("leaves out a scoped agent's customers outside the scope; another account's ids are a 404", async () => {
    const scoped = await createScopedAgent(server.services, account.accountId, [inside]);
    const some = await server.services.customers.listByIds(scoped.principal, [ids[1]!, ids[3]!]);
    expect(some.map((c) => c.email)).toEqual(['valgt2@utvalg.test']);
    await expect(server.services.customers.listByIds(scoped.principal, [ids[3]!])).rejects.toThrow(
      /No customer with id/,
    );
    const neighbour = await ensureNeighbour(server.services);
    const foreign = await exportSelection(admin, { customerIds: neighbour.customerIds });
    expect(foreign.status).toBe(404);
    for (const email of neighbour.emails) expect(foreign.text).not.toContain(email);
  });

  it('needs customers.export, and at least one id', async () => {
    const userId = await agentWithout(server.services, account.accountId, 'customers.export');
    const headers = await sessionHeaders(server.services, account.accountId, userId);
    expect((await exportSelection(headers, { customerIds: [ids[0]] })).status).toBe(403);
    const empty = await exportSelection(admin, { customerIds: [] });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('customerIds');
  });
});
