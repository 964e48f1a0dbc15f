// Bulk actions on customers (issue 16) over real HTTP on each dialect: "all matching" a filter
// deactivates exactly the list's set, the answer's `changed` undoes exactly that (the totals
// and the audit trail follow), a move by filter is undone per previous organization, the
// permission is checked per action (403 and nothing changed), a scoped agent's "all matching"
// covers only their scope, and bad requests get a 422 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerBulkResult } from '../../common/customer-bulk.ts';
import type { Customer } from '../../common/customer.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, type TestAccount } from '../test/factories.ts';
import { agentWithout, sessionHeaders } from '../test/permission-agents.ts';
import { createScopedAgent } from '../test/scope-fixtures.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

describe.each(testDialects())('bulk actions on customers over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let admin: Record<string, string>;
  const orgs: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    const token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
    admin = { authorization: `Bearer ${token}` };
    for (const key of ['a', 'b', 'c'] as const)
      orgs[key] = (
        await server.services.organizations.create(account.admin, { name: `Org ${key}` })
      ).id;
    const counts = { a: 3, b: 2, c: 4 };
    for (const [key, count] of Object.entries(counts) as ['a' | 'b' | 'c', number][])
      for (let index = 0; index < count; index += 1) {
        const made = await call(admin, 'POST', '/api/v1/customers', {
          firstName: `${key}${index}`,
          email: `${key}${index}@bulk.test`,
          organizationId: orgs[key],
        });
        expect(made.status, JSON.stringify(made.body)).toBe(201);
      }
  });
  afterAll(() => server.close());

  async function call(
    headers: Record<string, string>,
    method: string,
    path: string,
    body?: unknown,
  ) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    };
  }

  async function list(query: string) {
    const answer = await call(admin, 'GET', `/api/v1/customers?limit=200&${query}`);
    expect(answer.status).toBe(200);
    return answer.body as unknown as { items: Customer[]; total: number };
  }

  async function bulk(headers: Record<string, string>, body: unknown) {
    return call(headers, 'POST', '/api/v1/customers/bulk', body);
  }

  it('deactivates all matching a filter, and undoes exactly that', async () => {
    const before = await list('status=active');
    const done = await bulk(admin, {
      action: 'deactivate',
      filter: { status: 'active', organizationId: orgs.c },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const result = done.body as unknown as CustomerBulkResult;
    expect(result.matched).toBe(4);
    expect(result.changed).toHaveLength(4);
    expect(result.changed.every((c) => c.status === 'active' && c.organizationId === orgs.c)).toBe(
      true,
    );
    expect((await list(`status=active&organizationId=${orgs.c}`)).total).toBe(0);
    expect((await list('status=active')).total).toBe(before.total - 4);
    expect((await list('status=deactivated')).total).toBe(4);
    const someone = result.changed[0]!.id;
    const trail = await call(admin, 'GET', `/api/v1/customers/${someone}/audit`);
    expect((trail.body.items as { action: string }[])[0]!.action).toBe('deactivated');

    const undo = await bulk(admin, {
      action: 'reactivate',
      customerIds: result.changed.map((c) => c.id),
    });
    expect(undo.status).toBe(200);
    expect((undo.body as unknown as CustomerBulkResult).changed).toHaveLength(4);
    expect((await list('status=active')).total).toBe(before.total);
    expect((await list('status=deactivated')).total).toBe(0);
  });

  it('moves all matching and moves each back where it was', async () => {
    const done = await bulk(admin, {
      action: 'move',
      organizationId: orgs.a,
      filter: { status: 'active', q: 'bulk.test' },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const result = done.body as unknown as CustomerBulkResult;
    // Org a's three were already there: matched, not changed.
    expect(result.matched).toBe(9);
    expect(result.changed).toHaveLength(6);
    expect((await list(`organizationId=${orgs.a}`)).total).toBe(9);
    const back = new Map<string | null, string[]>();
    for (const change of result.changed)
      back.set(change.organizationId, [...(back.get(change.organizationId) ?? []), change.id]);
    for (const [organizationId, customerIds] of back) {
      const undo = await bulk(admin, {
        action: 'move',
        organizationId: organizationId ?? 'none',
        customerIds,
      });
      expect(undo.status).toBe(200);
    }
    expect((await list(`organizationId=${orgs.a}`)).total).toBe(3);
    expect((await list(`organizationId=${orgs.b}`)).total).toBe(2);
    expect((await list(`organizationId=${orgs.c}`)).total).toBe(4);
  });

  it('checks the permission per action: deactivating needs customers.delete', async () => {
    const userId = await agentWithout(server.services, account.accountId, 'customers.delete');
    const headers = await sessionHeaders(server.services, account.accountId, userId);
    const refused = await bulk(headers, { action: 'deactivate', filter: { status: 'active' } });
    expect(refused.status).toBe(403);
    expect((await list('status=deactivated')).total).toBe(0);
    // Moving needs only customers.create_edit.
    const moved = await bulk(headers, {
      action: 'move',
      organizationId: orgs.b,
      customerIds: [(await list(`organizationId=${orgs.b}`)).items[0]!.id],
    });
    expect(moved.status).toBe(200);
  });

  it("covers only a scoped agent's customers when they choose all matching", async () => {
    const scoped = await createScopedAgent(server.services, account.accountId, [orgs.a, orgs.b]);
    const headers = { authorization: `Bearer ${scoped.token}` };
    const done = await bulk(headers, {
      action: 'move',
      organizationId: orgs.b,
      filter: { status: 'active' },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const result = done.body as unknown as CustomerBulkResult;
    expect(result.matched).toBe(5);
    expect(result.changed.map((c) => c.organizationId)).toEqual([orgs.a, orgs.a, orgs.a]);
    expect((await list(`organizationId=${orgs.c}`)).total).toBe(4);
    // Named by id, a customer outside the scope is left out, not changed.
    const outside = (await list(`organizationId=${orgs.c}`)).items[0]!.id;
    const byId = await bulk(headers, {
      action: 'move',
      organizationId: orgs.b,
      customerIds: [outside],
    });
    expect(byId.status).toBe(200);
    expect((byId.body as unknown as CustomerBulkResult).changed).toEqual([]);
    expect((await list(`organizationId=${orgs.c}`)).total).toBe(4);
  });

  it('refuses a request without a set, or a move without a target, naming the field', async () => {
    const none = await bulk(admin, { action: 'deactivate' });
    expect(none.status).toBe(422);
    expect(none.body.errors).toEqual([expect.objectContaining({ field: 'customerIds' })]);
    const both = await bulk(admin, {
      action: 'deactivate',
      customerIds: ['x'],
      filter: { status: 'active' },
    });
    expect(both.status).toBe(422);
    const noTarget = await bulk(admin, { action: 'move', filter: { status: 'active' } });
    expect(noTarget.status).toBe(422);
    expect(noTarget.body.errors).toEqual([expect.objectContaining({ field: 'organizationId' })]);
    const badAction = await bulk(admin, { action: 'erase', customerIds: ['x'] });
    expect(badAction.status).toBe(422);
  });
});
