// Who sees what, over real HTTP on both databases (issue 13): an agent whose team serves one
// organization, with a console session and with an API token, finds, counts, opens and creates
// only inside it; out of scope answers the 404 a missing row gets; a change to the teams applies
// on the very next request; routing still brings a team its tickets; the neighbour stays unseen.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpIntake } from '../intake/smtp.ts';
import { testDialects } from '../test/databases.ts';
import { NEIGHBOUR_EMAILS, createTestAccount, unique } from '../test/factories.ts';
import { createScopedAgent, type ScopedAgent } from '../test/scope-fixtures.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { sendRawMail } from '../test/smtp-client.ts';

type Json = Record<string, unknown> & { items?: Record<string, unknown>[]; total?: number };
type Auth = { token: string } | { cookie: string };

describe.each(testDialects())('a scoped agent over HTTP on %s', (dialect) => {
  let server: TestServer;
  let accountId: string;
  let admin: Auth;
  let agent: ScopedAgent;
  const SUPPORT = 'support@scope-test.no';
  const org = { a: '', b: '', c: '' };
  const customer = { inA: '', inB: '', inC: '', none: '', atBergen: '' };
  const names = { inA: unique('Astrid'), inC: unique('Cecilie') };
  const ticket = { ofA: '', ofC: '' };
  let bergen = '';
  let intake: SMTPServer;

  async function call(auth: Auth, method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...('token' in auth ? { authorization: `Bearer ${auth.token}` } : { cookie: auth.cookie }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  }
  const ids = (body: Json) => (body.items ?? []).map((i) => i.id as string).sort();
  const both = (): [string, Auth][] => [
    ['session', { cookie: agent.cookie }],
    ['token', { token: agent.token }],
  ];
  async function create(path: string, body: unknown): Promise<string> {
    const r = await call(admin, 'POST', path, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const account = await createTestAccount(server.services);
    accountId = account.accountId;
    admin = {
      token: (await server.services.agents.createToken(accountId, account.admin.userId ?? '', 't'))
        .token,
    };
    await server.services.settings.update(accountId, { supportAddresses: [SUPPORT] });
    for (const key of ['a', 'b', 'c'] as const)
      org[key] = await create('/api/v1/organizations', { name: unique(`Org ${key} `) });
    bergen = await create(`/api/v1/organizations/${org.b}/locations`, { name: 'Bergen' });
    const person = (first: string, organizationId: string | null) => ({
      firstName: first,
      email: `${unique(first.toLowerCase())}@${unique('d')}.example`,
      organizationId,
    });
    customer.inA = await create('/api/v1/customers', person(names.inA, org.a));
    customer.inB = await create('/api/v1/customers', person('Berit', org.b));
    customer.inC = await create('/api/v1/customers', person(names.inC, org.c));
    customer.none = await create('/api/v1/customers', person('Nils', null));
    customer.atBergen = await create('/api/v1/customers', person('Bjarne', org.b));
    expect(
      (
        await call(admin, 'PATCH', `/api/v1/customers/${customer.atBergen}`, {
          defaultLocationId: bergen,
        })
      ).status,
    ).toBe(200);
    ticket.ofA = await create('/api/v1/tickets', {
      subject: 'A printer',
      message: 'Hei',
      requesterId: customer.inA,
    });
    ticket.ofC = await create('/api/v1/tickets', {
      subject: 'C secret',
      message: 'Hei',
      requesterId: customer.inC,
    });
    agent = await createScopedAgent(server.services, accountId, [org.a]);
    intake = createSmtpIntake({
      db: server.services.db.kysely,
      intake: server.services.emailIntake,
      log: () => undefined,
    });
    intake.listen(0, '127.0.0.1');
    await once(intake.server, 'listening');
  }, 60_000);
  afterAll(async () => {
    intake?.close();
    await server?.close();
  });

  it('lists, counts and searches only the customers of the served organization', async () => {
    for (const [how, auth] of both()) {
      const list = await call(auth, 'GET', '/api/v1/customers?status=all');
      expect(list.status, how).toBe(200);
      expect(ids(list.body), how).toEqual([customer.inA]);
      expect(list.body.total, how).toBe(1);
      // The FTS / trigram path (3+ characters) and the short LIKE path agree with the list.
      const found = await call(auth, 'GET', `/api/v1/customers?q=${names.inA}`);
      expect(ids(found.body), how).toEqual([customer.inA]);
      const hidden = await call(auth, 'GET', `/api/v1/customers?q=${names.inC}`);
      expect({ items: hidden.body.items, total: hidden.body.total }, how).toEqual({
        items: [],
        total: 0,
      });
      const short = await call(auth, 'GET', '/api/v1/customers?q=e&status=all');
      expect(ids(short.body), how).toEqual([customer.inA]);
      const neighbour = await call(auth, 'GET', `/api/v1/customers?q=${NEIGHBOUR_EMAILS[0]}`);
      expect(neighbour.body.total, how).toBe(0);
      const byOrg = await call(auth, 'GET', `/api/v1/customers?organizationId=${org.c}`);
      expect(byOrg.body.total, how).toBe(0);
    }
    // The administrator still sees all five.
    const all = await call(admin, 'GET', '/api/v1/customers?status=all');
    expect(all.body.total).toBe(5);
  });

  it('answers 404 for a customer out of scope, their audit trail and their tickets', async () => {
    for (const [how, auth] of both()) {
      for (const path of ['', '/audit', '/tickets']) {
        const out = await call(auth, 'GET', `/api/v1/customers/${customer.inC}${path}`);
        expect([out.status, out.body.code], `${how} ${path}`).toEqual([404, 'customer_not_found']);
        const seen = await call(auth, 'GET', `/api/v1/customers/${customer.inA}${path}`);
        expect(seen.status, `${how} ${path}`).toBe(200);
      }
      const theirs = await call(auth, 'GET', `/api/v1/customers/${customer.inA}/tickets`);
      expect(ids(theirs.body), how).toEqual([ticket.ofA]);
    }
  });

  it('sees, counts and works only the tickets in scope', async () => {
    for (const [how, auth] of both()) {
      const list = await call(auth, 'GET', '/api/v1/tickets');
      expect([ids(list.body), list.body.total], how).toEqual([[ticket.ofA], 1]);
      expect((await call(auth, 'GET', `/api/v1/tickets/${ticket.ofA}`)).status, how).toBe(200);
      for (const [method, path, body] of [
        ['GET', `/api/v1/tickets/${ticket.ofC}`, undefined],
        ['PATCH', `/api/v1/tickets/${ticket.ofC}`, { status: 'pending' }],
        ['POST', `/api/v1/tickets/${ticket.ofC}/messages`, { text: 'Peeking' }],
      ] as const) {
        const out = await call(auth, method, path, body);
        expect([out.status, out.body.code], `${how} ${method} ${path}`).toEqual([
          404,
          'ticket_not_found',
        ]);
      }
    }
    const ofC = await call(admin, 'GET', `/api/v1/tickets/${ticket.ofC}`);
    expect(ofC.body).toMatchObject({ status: 'open', messageCount: 1 });
  });

  it('refuses creating a customer or a ticket outside the scope, and keeps nothing of it', async () => {
    const auth = { token: agent.token };
    const outside = await call(auth, 'POST', '/api/v1/customers', {
      email: `${unique('out')}@${unique('d')}.example`,
      organizationId: org.c,
    });
    expect([outside.status, outside.body.errors]).toEqual([
      422,
      [
        {
          field: 'organizationId',
          code: 'out_of_scope',
          message: 'is not one of the organizations your teams serve',
        },
      ],
    ]);
    const nowhere = await call(auth, 'POST', '/api/v1/customers', {
      email: `${unique('none')}@${unique('d')}.example`,
      organizationId: null,
    });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.errors).toMatchObject([{ code: 'served_organization_required' }]);
    const inside = await call(auth, 'POST', '/api/v1/customers', {
      email: `${unique('in')}@${unique('d')}.example`,
      organizationId: org.a,
    });
    expect(inside.status).toBe(201);
    const moved = await call(auth, 'PATCH', `/api/v1/customers/${customer.inA}`, {
      organizationId: org.c,
    });
    expect([moved.status, moved.body.errors]).toMatchObject([
      422,
      [{ field: 'organizationId', code: 'out_of_scope' }],
    ]);
    // A ticket for a customer out of scope: not found as a requester; a new requester whose
    // ticket nobody of the agent's teams would get: refused, and the requester is not kept.
    const forC = await call(auth, 'POST', '/api/v1/tickets', {
      subject: 'x',
      message: 'y',
      requesterId: customer.inC,
    });
    expect([forC.status, forC.body.errors]).toMatchObject([
      422,
      [{ field: 'requesterId', message: 'no such customer' }],
    ]);
    const stranger = `${unique('stranger')}@${unique('nobody')}.example`;
    const forStranger = await call(auth, 'POST', '/api/v1/tickets', {
      subject: 'x',
      message: 'y',
      requester: { email: stranger },
    });
    expect([forStranger.status, forStranger.body.errors]).toMatchObject([
      422,
      [{ field: 'requester', code: 'ticket_out_of_scope' }],
    ]);
    const kept = await call(admin, 'GET', `/api/v1/customers?q=${stranger}&status=all`);
    expect(kept.body.total).toBe(0);
    const forA = await call(auth, 'POST', '/api/v1/tickets', {
      subject: 'For A',
      message: 'y',
      requesterId: customer.inA,
    });
    expect(forA.status).toBe(201);
    // Afterwards the ticket is theirs to see, and a reassignment out of scope is answered.
    const away = await call(auth, 'PATCH', `/api/v1/tickets/${forA.body.id as string}`, {
      teamId: null,
    });
    expect(away.status).toBe(200);
  });

  it('shows only the organizations in scope, with the customers the agent can see', async () => {
    for (const [how, auth] of both()) {
      const list = await call(auth, 'GET', '/api/v1/organizations');
      expect([ids(list.body), list.body.total], how).toEqual([[org.a], 1]);
      expect(list.body.items?.[0]?.customerCount, how).toBe(2);
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { notes: 'peek' }],
      ] as const) {
        const out = await call(auth, method, `/api/v1/organizations/${org.c}`, body);
        expect([out.status, out.body.code], `${how} ${method}`).toEqual([
          404,
          'organization_not_found',
        ]);
      }
      for (const sub of ['contacts', 'rules']) {
        const out = await call(auth, 'GET', `/api/v1/organizations/${org.c}/${sub}`);
        expect(out.status, `${how} ${sub}`).toBe(404);
        const own = await call(auth, 'GET', `/api/v1/organizations/${org.a}/${sub}`);
        expect(own.status, `${how} ${sub}`).toBe(200);
      }
    }
  });

  it('applies a second team, a narrower access and leaving a team on the next request', async () => {
    const seen = async (auth: Auth) => ids((await call(auth, 'GET', '/api/v1/customers')).body);
    const before = await seen({ cookie: agent.cookie });
    expect(before).not.toContain(customer.atBergen);
    // A second team that serves B's Bergen location: the union of both.
    const second = await call(admin, 'POST', '/api/v1/teams', {
      name: unique('Bergen team '),
      memberIds: [agent.userId],
      access: 'organizations',
      organizations: [{ organizationId: org.b, locationId: bergen }],
    });
    expect(second.status).toBe(201);
    expect(second.body.organizations).toMatchObject([
      { organizationId: org.b, locationId: bergen, locationName: 'Bergen', areaId: null },
    ]);
    for (const [how, auth] of both())
      expect(await seen(auth), how).toEqual([...before, customer.atBergen].sort());
    // Leaving it takes Bergen away at once.
    const left = await call(admin, 'PATCH', `/api/v1/teams/${second.body.id as string}`, {
      memberIds: [],
    });
    expect(left.status).toBe(200);
    for (const [how, auth] of both()) expect(await seen(auth), how).toEqual(before);
    // Narrowing the first team to C instead of A swaps what the agent sees.
    const narrowed = await call(admin, 'PATCH', `/api/v1/teams/${agent.teamId}`, {
      organizations: [{ organizationId: org.c }],
    });
    expect(narrowed.status).toBe(200);
    for (const [how, auth] of both()) {
      const now = await seen(auth);
      expect(now, how).toContain(customer.inC);
      expect(now, how).not.toContain(customer.inB);
      expect((await call(auth, 'GET', `/api/v1/customers/${customer.inC}`)).status, how).toBe(200);
    }
    await call(admin, 'PATCH', `/api/v1/teams/${agent.teamId}`, {
      organizations: [{ organizationId: org.a }],
    });
    expect(
      (await call({ token: agent.token }, 'GET', `/api/v1/customers/${customer.inC}`)).status,
    ).toBe(404);
  });

  it("refuses access entries that do not name this account's places, naming the entry", async () => {
    const bad = await call(admin, 'PATCH', `/api/v1/teams/${agent.teamId}`, {
      access: 'organizations',
      organizations: [
        { organizationId: org.a },
        { organizationId: org.a, locationId: bergen },
        { organizationId: '00000000-0000-4000-8000-000000000000' },
      ],
    });
    expect([bad.status, bad.body.errors]).toEqual([
      422,
      [
        {
          field: 'organizations.1.locationId',
          code: 'not_of_organization',
          message: 'not a location of this organization',
        },
        {
          field: 'organizations.2.organizationId',
          code: 'unknown_reference',
          message: 'no such organization',
        },
      ],
    ]);
    const team = (await call(admin, 'GET', '/api/v1/teams')).body.items?.find(
      (t) => t.id === agent.teamId,
    );
    expect(team).toMatchObject({
      access: 'organizations',
      organizations: [{ organizationId: org.a, locationId: null }],
      memberIds: [agent.userId],
      seeAllMemberIds: [],
    });
  });

  it("routes mail of an organization whose rule names the agent's team to that team, seen", async () => {
    const sender = `${unique('routed')}@example.org`;
    await create(`/api/v1/organizations/${org.b}/rules`, { teamId: agent.teamId });
    const ofB = await create('/api/v1/customers', {
      firstName: 'Routed',
      email: sender,
      organizationId: org.b,
    });
    const raw = Buffer.from(
      `From: Routed <${sender}>\r\nTo: ${SUPPORT}\r\nSubject: Routed to the team\r\n` +
        `Message-ID: <${unique('m')}@example.org>\r\n\r\nPlease help.\r\n`,
    );
    const port = (intake.server.address() as AddressInfo).port;
    expect((await sendRawMail({ port, from: sender, to: SUPPORT, raw })).code).toBe(250);
    const list = await call({ token: agent.token }, 'GET', `/api/v1/customers/${ofB}/tickets`);
    expect(list.status).toBe(200);
    expect(list.body.items).toMatchObject([
      { subject: 'Routed to the team', teamId: agent.teamId },
    ]);
    const found = await call({ cookie: agent.cookie }, 'GET', `/api/v1/customers?q=${sender}`);
    expect(ids(found.body)).toEqual([ofB]);
  });
});
