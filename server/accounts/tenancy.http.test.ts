// Tenancy over real HTTP: an account's agent never sees or changes the neighbour account's data,
// not in lists, searches, exports, by id, nor by writing to its ids; and the same email or phone
// number makes a separate customer in each account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../http/app.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, ensureNeighbour, type Neighbour } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { systemPrincipal } from '../agents/principal.ts';

describe.each(testDialects())('tenancy over HTTP on %s', (dialect) => {
  let server: TestServer;
  let neighbour: Neighbour;
  let token: string;
  let leaks: string[];

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    neighbour = await ensureNeighbour(server.services);
    const account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
    leaks = [
      neighbour.accountId,
      ...neighbour.customerIds,
      neighbour.organizationId,
      neighbour.ruleId,
      neighbour.ticketId,
      neighbour.adminEmail,
      'Neighbour Org',
      'Neighbour ticket',
    ];
  });
  afterAll(() => server.close());

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }

  /** What of the neighbour's a response shows, apart from the ids the request itself sent. */
  function leaked(text: string, sent = ''): string[] {
    return leaks.filter((needle) => !sent.includes(needle) && text.includes(needle));
  }

  it('shows none of the neighbour in lists, searches and exports', async () => {
    const paths = [
      '/api/v1/customers?status=all&limit=200',
      '/api/v1/organizations?limit=200',
      '/api/v1/tickets?limit=200',
      '/api/v1/users',
      '/api/v1/agents',
      '/api/v1/roles',
      '/api/v1/teams',
      '/api/v1/settings',
      '/api/v1/customers/export.csv?status=all',
      ...[...neighbour.emails, neighbour.phone, 'Nordmann', 'example.com'].map(
        (q) => `/api/v1/customers?status=all&q=${encodeURIComponent(q)}`,
      ),
    ];
    for (const path of paths) {
      const response = await call('GET', path);
      expect(response.status, path).toBe(200);
      expect(leaked(response.text), path).toEqual([]);
      for (const email of neighbour.emails) expect(response.text, path).not.toContain(email);
    }
  });

  it('shows nothing for any route given a neighbour id (404 for its records), and changes nothing', async () => {
    const idFor = (url: string) =>
      url.includes('/customers/')
        ? neighbour.customerIds[0]
        : url.includes('/organizations/')
          ? neighbour.organizationId
          : url.includes('/tickets/')
            ? neighbour.ticketId
            : undefined;
    const routes = apiRoutes(server.services).filter(
      (r) => r.url.includes('/:id') && idFor(r.url) && r.auth !== 'public',
    );
    expect(routes.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const route of routes) {
      const path = route.url
        .replace(':id', idFor(route.url) ?? '')
        .replace(':domain', 'example.com')
        .replace(':ruleId', neighbour.ruleId)
        .replace(/:\w+/g, neighbour.customerIds[1] ?? '');
      const body = ['POST', 'PATCH', 'PUT'].includes(route.method) ? {} : undefined;
      const response = await call(route.method, path, body);
      // A list under a neighbour's record may answer an empty 200; anything else is an error.
      const emptyList = response.status === 200 && route.method === 'GET';
      const shown = leaked(response.text, path);
      if ((response.status < 400 && !emptyList) || shown.length > 0)
        wrong.push(`${route.method} ${route.url}: ${response.status} ${shown.join()}`);
    }
    // With bodies that would pass validation, so the 404 is the account boundary.
    const writes: [string, string, unknown][] = [
      ['PATCH', `/api/v1/customers/${neighbour.customerIds[0]}`, { firstName: 'Taken' }],
      ['PATCH', `/api/v1/customers/${neighbour.customerIds[0]}`, { status: 'deactivated' }],
      ['PATCH', `/api/v1/organizations/${neighbour.organizationId}`, { name: 'Taken' }],
      ['DELETE', `/api/v1/organizations/${neighbour.organizationId}`, undefined],
      ['PATCH', `/api/v1/tickets/${neighbour.ticketId}`, { status: 'closed' }],
      ['POST', `/api/v1/tickets/${neighbour.ticketId}/messages`, { text: 'Taken' }],
      [
        'DELETE',
        `/api/v1/organizations/${neighbour.organizationId}/rules/${neighbour.ruleId}`,
        undefined,
      ],
    ];
    for (const [method, path, body] of writes) {
      const response = await call(method, path, body);
      if (response.status !== 404) wrong.push(`${method} ${path}: ${response.status}`);
    }
    expect(wrong).toEqual([]);

    const own = systemPrincipal(neighbour.accountId);
    const customer = await server.services.customers.get(own, neighbour.customerIds[0] ?? '');
    expect(customer).toMatchObject({ firstName: 'Kari', status: 'active' });
    const organization = await server.services.organizations.get(own, neighbour.organizationId);
    expect(organization.name).toBe('Neighbour Org');
    const rules = await server.services.routingRules.list(
      neighbour.accountId,
      neighbour.organizationId,
    );
    expect(rules.map((r) => r.id)).toEqual([neighbour.ruleId]);
    const ticket = await server.services.tickets.get(
      { ...own, permissions: new Set(['tickets.view']) },
      neighbour.ticketId,
    );
    expect(ticket).toMatchObject({ status: 'open', messageCount: 1 });
  });

  it('makes a customer of its own for an email or number the neighbour already has', async () => {
    const created = await call('POST', '/api/v1/customers', {
      email: neighbour.emails[0]?.toUpperCase(),
      phone: neighbour.phone,
    });
    expect(created.status).toBe(201);
    const id = (JSON.parse(created.text) as { id: string }).id;
    expect(neighbour.customerIds).not.toContain(id);
    const search = await call('GET', `/api/v1/customers?q=${encodeURIComponent(neighbour.phone)}`);
    expect((JSON.parse(search.text) as { items: { id: string }[] }).items.map((c) => c.id)).toEqual(
      [id],
    );
  });
});
