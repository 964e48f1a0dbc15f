// A customer's Customer Hub access as agents control it, over real HTTP on both databases: the
// hubAccess switch through PATCH (audited; off ends a live Hub session, so does deactivating),
// the CSV export's hub_access column, and organization grants (validated, audited, limited to a
// scoped agent's organizations, dropped with their organization).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { createScopedAgent } from '../test/scope-fixtures.ts';
import { hubPrincipalFromCookie, startHubSession } from './hub-principal.ts';

describe.each(testDialects())('a customer’s Hub access over HTTP on %s', (dialect) => {
  let server: TestServer;
  let accountId: string;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const account = await createTestAccount(server.services);
    accountId = account.accountId;
    token = (await server.services.agents.createToken(accountId, account.admin.userId ?? '', 't'))
      .token;
    await call('PATCH', '/api/v1/settings/hub', { enabled: true });
  });
  afterAll(() => server.close());

  async function call(method: string, path: string, body?: unknown, bearer = token) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};
    return { status: response.status, body: json, text };
  }

  async function newCustomer(extra: Record<string, unknown> = {}) {
    const created = await call('POST', '/api/v1/customers', {
      firstName: 'Hedda',
      email: `${unique('hedda')}@example.com`,
      ...extra,
    });
    expect(created.status, created.text).toBe(201);
    return created.body as { id: string; hubAccess: boolean; version: number };
  }

  async function newOrganization(name = unique('Org ')) {
    const created = await call('POST', '/api/v1/organizations', { name });
    expect(created.status, created.text).toBe(201);
    return { id: (created.body as { id: string }).id, name };
  }

  const signedIn = async (cookie: string) =>
    (await hubPrincipalFromCookie(server.services.db.kysely, cookie)) !== undefined;

  it('has Hub access on by default, switched off through PATCH with an audit entry', async () => {
    const customer = await newCustomer();
    expect(customer.hubAccess).toBe(true);
    const hub = await call('GET', `/api/v1/customers/${customer.id}/hub`);
    expect(hub.body).toEqual({
      hubAccess: true,
      passwordSet: false,
      lastSignInAt: null,
      organizations: [],
    });
    const cookie = await startHubSession(server.services.db.kysely, accountId, customer.id);
    expect(await signedIn(cookie)).toBe(true);

    const off = await call('PATCH', `/api/v1/customers/${customer.id}`, { hubAccess: false });
    expect(off.status, off.text).toBe(200);
    expect(off.body.hubAccess).toBe(false);
    expect((await call('GET', `/api/v1/customers/${customer.id}/hub`)).body.hubAccess).toBe(false);
    const audit = await call('GET', `/api/v1/customers/${customer.id}/audit`);
    const items = audit.body.items as { action: string; changes: Record<string, unknown> }[];
    expect(items[0]).toMatchObject({
      action: 'updated',
      changes: { hubAccess: { from: true, to: false } },
    });
    // The session is gone, not merely refused: switching access back on does not revive it.
    expect(await signedIn(cookie)).toBe(false);
    const on = await call('PATCH', `/api/v1/customers/${customer.id}`, { hubAccess: true });
    expect(on.body.hubAccess).toBe(true);
    expect(await signedIn(cookie)).toBe(false);
    const count = await server.services.db.kysely
      .selectFrom('hub_sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('creates a customer with access off when asked, and deactivating ends Hub sessions', async () => {
    const without = await newCustomer({ hubAccess: false });
    expect(without.hubAccess).toBe(false);
    const customer = await newCustomer();
    const cookie = await startHubSession(server.services.db.kysely, accountId, customer.id);
    const deactivated = await call('PATCH', `/api/v1/customers/${customer.id}`, {
      status: 'deactivated',
    });
    expect(deactivated.status, deactivated.text).toBe(200);
    await call('PATCH', `/api/v1/customers/${customer.id}`, { status: 'active' });
    expect(await signedIn(cookie)).toBe(false);
  });

  it('refuses a hubAccess that is not a boolean, naming the field', async () => {
    const customer = await newCustomer();
    const bad = await call('PATCH', `/api/v1/customers/${customer.id}`, { hubAccess: 'no' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.errors)).toContain('hubAccess');
  });

  it('exports hub_access in the CSV', async () => {
    const customer = await newCustomer({ hubAccess: false });
    const csv = await call(
      'GET',
      '/api/v1/customers/export.csv?status=all&headers=machine&delimiter=comma',
    );
    expect(csv.status).toBe(200);
    const [header, ...lines] = csv.text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const columns = header?.split(',') ?? [];
    const at = columns.indexOf('hub_access');
    expect(at).toBeGreaterThan(0);
    const email = (await call('GET', `/api/v1/customers/${customer.id}`)).body.email as string;
    const line = lines.find((l) => l.includes(email));
    expect(line?.split(',')[at]).toBe('false');
  });

  it('replaces organization grants, refusing unknown ones and auditing names', async () => {
    const customer = await newCustomer();
    const a = await newOrganization(unique('Alpha '));
    const b = await newOrganization(unique('Beta '));
    const unknown = '0190aaaa-0000-7000-8000-000000000000';
    const refused = await call('PUT', `/api/v1/customers/${customer.id}/hub/organizations`, {
      organizationIds: [a.id, unknown],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'organizationIds.1', code: 'unknown_reference' }),
    ]);
    expect((await call('GET', `/api/v1/customers/${customer.id}/hub`)).body.organizations).toEqual(
      [],
    );

    const granted = await call('PUT', `/api/v1/customers/${customer.id}/hub/organizations`, {
      organizationIds: [b.id, a.id],
    });
    expect(granted.status, granted.text).toBe(200);
    expect(granted.body.organizations).toEqual([
      { id: a.id, name: a.name },
      { id: b.id, name: b.name },
    ]);
    const narrowed = await call('PUT', `/api/v1/customers/${customer.id}/hub/organizations`, {
      organizationIds: [b.id],
    });
    expect(narrowed.body.organizations).toEqual([{ id: b.id, name: b.name }]);
    const audit = await call('GET', `/api/v1/customers/${customer.id}/audit`);
    const items = audit.body.items as { changes: Record<string, unknown> }[];
    expect(items[0]?.changes).toEqual({
      hubOrganizations: { from: [a.name, b.name], to: [b.name] },
    });
    expect(items[1]?.changes).toEqual({ hubOrganizations: { from: [], to: [a.name, b.name] } });

    // The same set again changes nothing and writes no entry.
    await call('PUT', `/api/v1/customers/${customer.id}/hub/organizations`, {
      organizationIds: [b.id],
    });
    const again = await call('GET', `/api/v1/customers/${customer.id}/audit`);
    expect((again.body.items as unknown[]).length).toBe(items.length);
  });

  it('drops the grants of a deleted organization', async () => {
    const customer = await newCustomer();
    const org = await newOrganization();
    await call('PUT', `/api/v1/customers/${customer.id}/hub/organizations`, {
      organizationIds: [org.id],
    });
    const deleted = await call('DELETE', `/api/v1/organizations/${org.id}`);
    expect(deleted.status, deleted.text).toBeLessThan(300);
    expect((await call('GET', `/api/v1/customers/${customer.id}/hub`)).body.organizations).toEqual(
      [],
    );
    const rows = await server.services.db.kysely
      .selectFrom('hub_organization_grants')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('organization_id', '=', org.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('lets a scoped agent grant only organizations they serve, with the answer an unknown one gets', async () => {
    const served = await newOrganization(unique('Served '));
    const other = await newOrganization(unique('Other '));
    const customer = await newCustomer({ organizationId: served.id });
    const agent = await createScopedAgent(server.services, accountId, [served.id]);
    // The administrator granted `other` earlier: the scoped agent neither sees nor removes it.
    await call('PUT', `/api/v1/customers/${customer.id}/hub/organizations`, {
      organizationIds: [other.id],
    });
    const unknown = '0190aaaa-0000-7000-8000-000000000001';
    const outOfScope = await call(
      'PUT',
      `/api/v1/customers/${customer.id}/hub/organizations`,
      { organizationIds: [other.id] },
      agent.token,
    );
    const missing = await call(
      'PUT',
      `/api/v1/customers/${customer.id}/hub/organizations`,
      { organizationIds: [unknown] },
      agent.token,
    );
    expect(outOfScope.status).toBe(422);
    expect(outOfScope.body.errors).toEqual(missing.body.errors);
    expect(outOfScope.text).not.toContain(other.name);

    const ok = await call(
      'PUT',
      `/api/v1/customers/${customer.id}/hub/organizations`,
      { organizationIds: [served.id] },
      agent.token,
    );
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.organizations).toEqual([{ id: served.id, name: served.name }]);
    const asAdmin = await call('GET', `/api/v1/customers/${customer.id}/hub`);
    expect((asAdmin.body.organizations as { id: string }[]).map((o) => o.id).sort()).toEqual(
      [served.id, other.id].sort(),
    );

    // A customer out of their scope is not found at all.
    const stranger = await newCustomer({ organizationId: other.id });
    const hidden = await call(
      'GET',
      `/api/v1/customers/${stranger.id}/hub`,
      undefined,
      agent.token,
    );
    expect(hidden.status).toBe(404);
  });
});
