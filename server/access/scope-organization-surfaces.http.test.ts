// Who sees what (issue 13 item 3) on an organization's pages and a ticket's side panels, over
// real HTTP on both databases, with a scoped agent's API token: contacts, locations, contracts
// (their tickets, time entries and month CSV), a ticket's time panel and its entries,
// notification groups and routing rules. Out of scope is the 404 a missing row gets, lists hold
// only what is in scope, and taking a team's access away shows at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { giveAccess, ids, scopeWorld, takeAccess, type ScopeWorld } from './surfaces.testkit.ts';

describe.each(testDialects())('the scope on organization and ticket panels (%s)', (dialect) => {
  let w: ScopeWorld;
  const as = (method: string, path: string, body?: unknown) =>
    w.call(w.agent.token, method, path, body);

  beforeAll(async () => {
    w = await scopeWorld(dialect);
  }, 60_000);
  afterAll(() => w.server.close());

  it('contacts: an organization out of scope is not found, by any route', async () => {
    const { served, other } = w.organizations;
    const list = await as('GET', `/api/v1/organizations/${served}/contacts`);
    expect(list.status).toBe(200);
    expect(ids(list)).toEqual([w.customers.served]);
    for (const [method, path, body] of [
      ['GET', `/api/v1/organizations/${other}/contacts`],
      ['GET', `/api/v1/organizations/${other}/contacts/${w.customers.other}`],
      ['PATCH', `/api/v1/organizations/${other}/contacts/${w.customers.other}`, { lastName: 'X' }],
      ['POST', `/api/v1/organizations/${other}/contacts`, { email: 'ny@example.org' }],
      ['GET', `/api/v1/organizations/${w.neighbour.organizationId}/contacts`],
    ] as const) {
      const answer = await as(method, path, body);
      expect(answer, `${method} ${path}`).toMatchObject({
        status: 404,
        body: { code: 'organization_not_found' },
      });
    }
    // Nothing was written: the administrator still sees the contact unchanged, and no new one.
    const seen = await w.call(w.adminToken, 'GET', `/api/v1/organizations/${other}/contacts`);
    expect(ids(seen)).toEqual([w.customers.other]);
    expect(JSON.stringify(seen.body)).toContain('"lastName":"Kunde"');
  });

  it('locations and routing rules of an organization out of scope are not found', async () => {
    const { served, split, other } = w.organizations;
    expect((await as('GET', `/api/v1/organizations/${split}/locations`)).status).toBe(200);
    expect((await as('GET', `/api/v1/organizations/${served}/rules`)).status).toBe(200);
    for (const [method, path, body] of [
      ['GET', `/api/v1/organizations/${other}/locations`],
      ['POST', `/api/v1/organizations/${other}/locations`, { name: 'Oslo' }],
      ['GET', `/api/v1/organizations/${other}/rules`],
      ['POST', `/api/v1/organizations/${other}/rules`, { assigneeId: w.agent.userId }],
    ] as const) {
      expect((await as(method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    const locations = await w.call(w.adminToken, 'GET', `/api/v1/organizations/${other}/locations`);
    expect(locations.body.items).toEqual([]);
  });

  it("contracts: another organization's is not found; a split one shows only tickets in scope", async () => {
    const { served, other } = w.organizations;
    const list = await as('GET', `/api/v1/organizations/${served}/contracts`);
    expect(ids(list)).toEqual([w.contracts.served]);
    for (const [method, path, body] of [
      ['GET', `/api/v1/organizations/${other}/contracts`],
      ['GET', `/api/v1/contracts/${w.contracts.other}`],
      ['PATCH', `/api/v1/contracts/${w.contracts.other}`, { description: 'Mine now' }],
      ['DELETE', `/api/v1/contracts/${w.contracts.other}`],
      ['GET', `/api/v1/contracts/${w.contracts.other}/tickets`],
      ['GET', `/api/v1/contracts/${w.contracts.other}/time-entries`],
      ['GET', `/api/v1/contracts/${w.contracts.other}/time-entries.csv?month=2026-11`],
    ] as const) {
      expect((await as(method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    const kept = await w.call(w.adminToken, 'GET', `/api/v1/contracts/${w.contracts.other}`);
    expect(kept.body.id).toBe(w.contracts.other);
    expect(kept.body.description).not.toBe('Mine now');

    // The split organization's contract covers a ticket at the served location and one off it:
    // the agent sees the contract, and of its tickets and time only the one at the location.
    const split = w.contracts.split;
    const tickets = await as('GET', `/api/v1/contracts/${split}/tickets`);
    expect(tickets.status).toBe(200);
    expect(ids(tickets)).toEqual([w.tickets.atLocation]);
    expect(tickets.body.total).toBe(1);
    const entries = await as('GET', `/api/v1/contracts/${split}/time-entries`);
    expect(ids(entries)).toEqual([w.timeEntries.atLocation]);
    expect(entries.body.total).toBe(1);
    const csv = await as('GET', `/api/v1/contracts/${split}/time-entries.csv?month=2026-11`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('Subject atLocation');
    expect(csv.text).not.toContain('Subject elsewhere');
    // The administrator sees both.
    const all = await w.call(w.adminToken, 'GET', `/api/v1/contracts/${split}/tickets`);
    expect(ids(all)).toEqual([w.tickets.atLocation, w.tickets.elsewhere].sort());
  });

  it("a ticket's time panel and its entries: out of scope is not found and nothing moves", async () => {
    const inScope = await as('GET', `/api/v1/tickets/${w.tickets.served}/time-entries`);
    expect(inScope.status).toBe(200);
    expect(ids(inScope)).toEqual([w.timeEntries.served]);
    expect(inScope.body.contract).toMatchObject({ id: w.contracts.served });
    for (const key of ['other', 'elsewhere'] as const) {
      const ticket = w.tickets[key];
      const entry = w.timeEntries[key];
      for (const [method, path, body] of [
        ['GET', `/api/v1/tickets/${ticket}/time-entries`],
        ['GET', `/api/v1/tickets/${ticket}/time-entries/audit`],
        ['POST', `/api/v1/tickets/${ticket}/time-entries`, { minutes: 5, workDate: '2026-11-30' }],
        ['PATCH', `/api/v1/time-entries/${entry}`, { minutes: 600 }],
        ['DELETE', `/api/v1/time-entries/${entry}`],
      ] as const) {
        const answer = await as(method, path, body);
        expect(answer.status, `${method} ${path}`).toBe(404);
        expect(answer.body.code).toMatch(/^(ticket|time_entry)_not_found$/);
      }
      const panel = await w.call(w.adminToken, 'GET', `/api/v1/tickets/${ticket}/time-entries`);
      expect(panel.body).toMatchObject({ totalMinutes: 30, items: [{ id: entry, minutes: 30 }] });
    }
  });

  it('notification groups of an organization out of scope are not found', async () => {
    const mine = await w.call(
      w.adminToken,
      'POST',
      `/api/v1/organizations/${w.organizations.served}/notification-groups`,
      { name: 'Drift', events: ['ticket_created'] },
    );
    const theirs = await w.call(
      w.adminToken,
      'POST',
      `/api/v1/organizations/${w.organizations.other}/notification-groups`,
      { name: 'Drift', events: ['ticket_created'] },
    );
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    const group = theirs.body.id as string;
    expect((await as('GET', `/api/v1/notification-groups/${mine.body.id as string}`)).status).toBe(
      200,
    );
    for (const [method, path, body] of [
      ['GET', `/api/v1/organizations/${w.organizations.other}/notification-groups`],
      ['GET', `/api/v1/notification-groups/${group}`],
      ['PATCH', `/api/v1/notification-groups/${group}`, { name: 'Renamed' }],
      ['POST', `/api/v1/notification-groups/${group}/members`, { email: 'x@example.org' }],
      ['DELETE', `/api/v1/notification-groups/${group}`],
    ] as const) {
      expect((await as(method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    // A contact of a split organization off the served location cannot be added either.
    const split = await w.call(
      w.adminToken,
      'POST',
      `/api/v1/organizations/${w.organizations.split}/notification-groups`,
      { name: 'Split', events: ['ticket_created'] },
    );
    const refused = await as(
      'POST',
      `/api/v1/notification-groups/${split.body.id as string}/members`,
      {
        customerId: w.customers.elsewhere,
      },
    );
    expect(refused).toMatchObject({ status: 422 });
    const still = await w.call(w.adminToken, 'GET', `/api/v1/notification-groups/${group}`);
    expect(still.body).toMatchObject({ name: 'Drift', members: [] });
  });

  it("taking a team's access away, and giving it back, shows on the next request", async () => {
    const path = `/api/v1/organizations/${w.organizations.served}/contacts`;
    expect((await as('GET', path)).status).toBe(200);
    await takeAccess(w.services, w.accountId, w.agent.teamId);
    expect((await as('GET', path)).status).toBe(404);
    await giveAccess(w.services, w.accountId, w.agent.teamId, {
      organizationId: w.organizations.served,
    });
    await giveAccess(w.services, w.accountId, w.agent.teamId, {
      organizationId: w.organizations.split,
      locationId: w.location,
    });
    expect(ids(await as('GET', path))).toEqual([w.customers.served]);
  });
});
