// Customer contacts over real HTTP on both databases (issue 12 item 1): the inline add row,
// inline edits, Deactivate Contact with only Create/Edit Customers, and the identity rule: an
// email that belongs to a customer is asked about (409 email_belongs_to_customer) and, once
// confirmed, that customer moves into the organization with one audit entry, never duplicated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../common/permissions.ts';
import { insertRole } from '../agents/agent.repository.ts';
import { newId } from '../db/ids.ts';
import { testDialects } from '../test/databases.ts';
import { NEIGHBOUR_EMAILS, createTestAccount, ensureNeighbour, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

type Body = Record<string, unknown>;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe.each(testDialects())('customer contacts over HTTP on %s', (dialect) => {
  let server: TestServer;
  let accountId: string;
  let admin: string;
  /** The built-in Agent role: Create/Edit Customers, but not customers.delete. */
  let agent: string;
  /** A role that may see customers but not change them. */
  let viewer: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const account = await createTestAccount(server.services);
    accountId = account.accountId;
    const agents = server.services.agents;
    admin = (await agents.createToken(accountId, account.admin.userId ?? '', 't')).token;
    const user = async (roleId?: string) => {
      const created = await agents.createUser(accountId, {
        email: `${unique('agent')}@example.com`,
        name: 'Arne Agent',
        password: 'correct horse battery',
        roleId,
      });
      return (await agents.createToken(accountId, created.id, 't')).token;
    };
    agent = await user();
    const viewerRole = newId();
    await insertRole(
      server.services.db.kysely,
      accountId,
      {
        id: viewerRole,
        name: 'Viewer',
        permissions: PERMISSIONS.filter((p) => p !== 'customers.create_edit'),
        builtIn: null,
      },
      new Date().toISOString(),
    );
    viewer = await user(viewerRole);
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
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : {}) as Body,
    };
  }

  async function organization(name = unique('Acme ')) {
    const created = await call(admin, 'POST', '/api/v1/organizations', { name });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, name };
  }

  const trail = async (customerId: string) =>
    (await call(admin, 'GET', `/api/v1/customers/${customerId}/audit`)).body.items as {
      action: string;
      changes: Record<string, { from: unknown; to: unknown }>;
    }[];

  it('adds a contact from the inline row, edits it inline and deactivates it as an Agent', async () => {
    const org = await organization();
    const email = `${unique('kari')}@gmail.com`;
    const added = await call(agent, 'POST', `/api/v1/organizations/${org.id}/contacts`, {
      firstName: 'Kari',
      lastName: 'Hansen',
      email,
    });
    expect(added.status).toBe(201);
    expect(added.headers.get('kunde-contact-linked')).toBe('false');
    expect(added.body).toMatchObject({
      firstName: 'Kari',
      lastName: 'Hansen',
      email,
      organizationId: org.id,
      organizationName: org.name,
      status: 'active',
    });
    const id = added.body.id as string;
    const list = await call(agent, 'GET', `/api/v1/organizations/${org.id}/contacts`);
    expect(list.body).toMatchObject({ total: 1, items: [{ id, email }] });

    const edited = await call(agent, 'PATCH', `/api/v1/organizations/${org.id}/contacts/${id}`, {
      lastName: 'Hansen-Berg',
      version: added.body.version,
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ lastName: 'Hansen-Berg', organizationId: org.id });
    // A stale inline edit (someone saved in between) is refused, not silently overwritten.
    const stale = await call(agent, 'PATCH', `/api/v1/organizations/${org.id}/contacts/${id}`, {
      firstName: 'Karianne',
      version: added.body.version,
    });
    expect(stale).toMatchObject({ status: 409, body: { code: 'version_conflict' } });

    // The built-in Agent role cannot deactivate a customer, but Create/Edit Customers governs
    // contacts, Deactivate Contact included.
    const deactivated = await call(
      agent,
      'PATCH',
      `/api/v1/organizations/${org.id}/contacts/${id}`,
      { status: 'deactivated' },
    );
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.status).toBe('deactivated');
    expect((await call(agent, 'GET', `/api/v1/organizations/${org.id}/contacts`)).body.total).toBe(
      0,
    );
    expect(
      (await call(agent, 'GET', `/api/v1/organizations/${org.id}/contacts?status=deactivated`)).body
        .items,
    ).toMatchObject([{ id }]);
    // Contacts do not open a back door on customers: the customer route still needs delete.
    expect(
      (await call(agent, 'PATCH', `/api/v1/customers/${id}`, { status: 'active' })).status,
    ).toBe(403);

    const entries = await trail(id);
    expect(entries.map((e) => e.action)).toEqual(['deactivated', 'updated', 'created']);
    expect(entries[2]?.changes.organization).toEqual({ from: null, to: org.name });
    expect(JSON.stringify(entries.map((e) => e.changes))).not.toMatch(UUID);
  });

  it('asks before linking an existing customer by email, then moves them in with one audit entry', async () => {
    const from = await organization(unique('Old Org '));
    const to = await organization(unique('New Org '));
    const email = `${unique('per')}@gmail.com`;
    const existing = await call(admin, 'POST', '/api/v1/customers', {
      firstName: 'Per',
      lastName: 'Olsen',
      email,
      organizationId: from.id,
    });
    expect(existing.status).toBe(201);
    const customerId = existing.body.id as string;
    const before = (await trail(customerId)).length;

    // The same address in another case is the same person.
    const asked = await call(admin, 'POST', `/api/v1/organizations/${to.id}/contacts`, {
      firstName: 'Someone',
      email: email.toUpperCase(),
    });
    expect(asked.status).toBe(409);
    expect(asked.body).toMatchObject({
      code: 'email_belongs_to_customer',
      customer: {
        id: customerId,
        name: 'Per Olsen',
        email,
        organizationId: from.id,
        organizationName: from.name,
      },
      errors: [
        { field: 'email', code: 'belongs_to_customer', message: 'belongs to an existing customer' },
      ],
    });
    expect(String(asked.body.detail)).toContain(from.name);
    // Nothing was written: no new customer, the existing one is where it was.
    const search = await call(
      admin,
      'GET',
      `/api/v1/customers?status=all&q=${encodeURIComponent(email)}`,
    );
    expect(search.body.total).toBe(1);
    expect((await call(admin, 'GET', `/api/v1/customers/${customerId}`)).body.organizationId).toBe(
      from.id,
    );
    expect((await call(admin, 'GET', `/api/v1/organizations/${to.id}/contacts`)).body.total).toBe(
      0,
    );

    const linked = await call(admin, 'POST', `/api/v1/organizations/${to.id}/contacts`, {
      firstName: 'Someone',
      email,
      link: true,
    });
    expect(linked.status).toBe(201);
    expect(linked.headers.get('kunde-contact-linked')).toBe('true');
    // The existing customer, moved; what the agent typed does not overwrite their name.
    expect(linked.body).toMatchObject({
      id: customerId,
      firstName: 'Per',
      organizationId: to.id,
      organizationName: to.name,
    });
    expect(
      (await call(admin, 'GET', `/api/v1/organizations/${to.id}/contacts`)).body.items,
    ).toMatchObject([{ id: customerId }]);
    expect((await call(admin, 'GET', `/api/v1/organizations/${from.id}/contacts`)).body.total).toBe(
      0,
    );
    const entries = await trail(customerId);
    expect(entries.length).toBe(before + 1);
    expect(entries[0]).toMatchObject({
      action: 'updated',
      changes: { organization: { from: from.name, to: to.name } },
    });
    expect(JSON.stringify(entries.map((e) => e.changes))).not.toMatch(UUID);

    // Asking again: they are a contact here already.
    const again = await call(admin, 'POST', `/api/v1/organizations/${to.id}/contacts`, {
      email,
      link: true,
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'contact_exists' } });
  });

  it('links a deactivated customer without an organization and makes them active again', async () => {
    const org = await organization();
    const email = `${unique('liv')}@gmail.com`;
    const existing = await call(admin, 'POST', '/api/v1/customers', {
      email,
      organizationId: null,
    });
    const id = existing.body.id as string;
    expect(
      (await call(admin, 'PATCH', `/api/v1/customers/${id}`, { status: 'deactivated' })).status,
    ).toBe(200);
    const asked = await call(agent, 'POST', `/api/v1/organizations/${org.id}/contacts`, { email });
    expect(asked.body).toMatchObject({
      code: 'email_belongs_to_customer',
      customer: { id, organizationId: null, organizationName: null },
    });
    const linked = await call(agent, 'POST', `/api/v1/organizations/${org.id}/contacts`, {
      email,
      link: true,
    });
    expect(linked.body).toMatchObject({ id, status: 'active', organizationId: org.id });
    expect((await trail(id))[0]).toMatchObject({
      action: 'updated',
      changes: {
        status: { from: 'deactivated', to: 'active' },
        organization: { from: null, to: org.name },
      },
    });
  });

  it('keeps tenants and organizations apart, and names what is wrong', async () => {
    const neighbour = await ensureNeighbour(server.services);
    const org = await organization();
    const other = await organization();
    // The neighbour account's customer has this email; here it is nobody yet.
    const fresh = await call(admin, 'POST', `/api/v1/organizations/${org.id}/contacts`, {
      email: NEIGHBOUR_EMAILS[0],
    });
    expect(fresh.status).toBe(201);
    expect(neighbour.customerIds).not.toContain(fresh.body.id);
    const id = fresh.body.id as string;
    // A contact of one organization is not found through another, nor another account's.
    expect(
      (
        await call(admin, 'PATCH', `/api/v1/organizations/${other.id}/contacts/${id}`, {
          firstName: 'X',
        })
      ).body,
    ).toMatchObject({ status: 404, code: 'contact_not_found' });
    expect(
      (await call(admin, 'GET', `/api/v1/organizations/${other.id}/contacts/${id}`)).status,
    ).toBe(404);
    expect(
      (await call(admin, 'GET', `/api/v1/organizations/${neighbour.organizationId}/contacts`))
        .status,
    ).toBe(404);
    expect(
      (
        await call(
          admin,
          'PATCH',
          `/api/v1/organizations/${org.id}/contacts/${neighbour.customerIds[0] ?? ''}`,
          {
            firstName: 'Hacked',
          },
        )
      ).status,
    ).toBe(404);
    // An email whose domain another organization owns does not move the contact there.
    const domainOrg = await call(admin, 'POST', '/api/v1/organizations', {
      name: unique('Domain Org '),
      domains: [`${unique('dom').replace(/[^a-z0-9]/g, '')}.no`],
    });
    const domain = (domainOrg.body.domains as string[])[0] ?? '';
    const moved = await call(admin, 'PATCH', `/api/v1/organizations/${org.id}/contacts/${id}`, {
      email: `kari@${domain}`,
    });
    expect(moved.body).toMatchObject({ email: `kari@${domain}`, organizationId: org.id });

    const bad = await call(admin, 'POST', `/api/v1/organizations/${org.id}/contacts`, {
      firstName: 'Bad\u0000Name',
      email: 'not an email',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        {
          field: 'firstName',
          code: 'control_character',
          params: { character: 'U+0000' },
          message: 'contains a control character (U+0000)',
        },
      ]),
    );
    const badEmail = await call(admin, 'POST', `/api/v1/organizations/${org.id}/contacts`, {
      email: 'not an email',
    });
    expect(badEmail).toMatchObject({ status: 422, body: { errors: [{ field: 'email' }] } });
    const noEmail = await call(admin, 'POST', `/api/v1/organizations/${org.id}/contacts`, {
      firstName: 'Nils',
    });
    expect(noEmail).toMatchObject({ status: 422, body: { errors: [{ field: 'email' }] } });
    expect(
      (await call(admin, 'POST', `/api/v1/organizations/${newId()}/contacts`, { email: 'a@b.no' }))
        .status,
    ).toBe(404);
  });

  it('lets a role without Create/Edit Customers read contacts but change nothing', async () => {
    const org = await organization();
    const added = await call(admin, 'POST', `/api/v1/organizations/${org.id}/contacts`, {
      email: `${unique('ro')}@gmail.com`,
    });
    const id = added.body.id as string;
    expect((await call(viewer, 'GET', `/api/v1/organizations/${org.id}/contacts`)).body.total).toBe(
      1,
    );
    const refusedAdd = await call(viewer, 'POST', `/api/v1/organizations/${org.id}/contacts`, {
      email: `${unique('ro')}@gmail.com`,
    });
    expect(refusedAdd).toMatchObject({
      status: 403,
      body: { permission: 'customers.create_edit' },
    });
    const refusedDeactivate = await call(
      viewer,
      'PATCH',
      `/api/v1/organizations/${org.id}/contacts/${id}`,
      { status: 'deactivated' },
    );
    expect(refusedDeactivate.status).toBe(403);
    expect((await call(admin, 'GET', `/api/v1/customers/${id}`)).body.status).toBe('active');
    expect((await call(viewer, 'GET', `/api/v1/organizations/${org.id}/contacts`)).body.total).toBe(
      1,
    );
  });
});
