// The scope's rules on both databases, below the routes: what an agent's teams give (unions of
// teams, organizations served whole or by one location, tickets assigned or routed to them) and
// that the three conditions pick exactly those rows, with a neighbour account present.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { createServices, type Services } from '../services.ts';
import { createBareAccount, unique } from '../test/factories.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import type { Principal } from '../agents/principal.ts';
import {
  ALL,
  customerScope,
  organizationScope,
  resolveScope,
  inScope,
  requireInScope,
  ticketScope,
  type Scope,
} from './scope.ts';

describe.each(testDialects())('scope (%s)', (dialect) => {
  let db: TestDb;
  let services: Services;
  let k: Kysely<Database>;
  let accountId: string;
  let admin: Principal;
  const userId = newId();
  const org: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const customer: Record<string, string> = {};
  const id = (m: Record<string, string>, key: string): string => m[key] ?? '';
  const ticket: Record<string, string> = {};
  let locationB = '';

  async function team(access: 'all' | 'organizations', members: string[]): Promise<string> {
    const id = newId();
    await k
      .insertInto('teams')
      .values({
        account_id: accountId,
        id,
        name: unique('T'),
        name_key: unique('t'),
        access,
        created_at: nowIso(),
      })
      .execute();
    for (const user_id of members)
      await k
        .insertInto('team_members')
        .values({ account_id: accountId, team_id: id, user_id })
        .execute();
    return id;
  }

  async function give(teamId: string, organizationId: string, locationId: string | null = null) {
    await k
      .insertInto('team_access')
      .values({
        account_id: accountId,
        id: newId(),
        team_id: teamId,
        organization_id: organizationId,
        location_id: locationId,
        area_id: null,
        created_at: nowIso(),
      })
      .execute();
  }

  async function seen(scope: Scope) {
    const c = customerScope(scope);
    const t = ticketScope(scope);
    const o = organizationScope(scope);
    const customers = await k
      .selectFrom('customers')
      .select('id')
      .where('account_id', '=', accountId)
      .$if(!!c, (q) => q.where(c!))
      .execute();
    const tickets = await k
      .selectFrom('tickets')
      .select('id')
      .where('account_id', '=', accountId)
      .$if(!!t, (q) => q.where(t!))
      .execute();
    const organizations = await k
      .selectFrom('organizations')
      .select('id')
      .where('account_id', '=', accountId)
      .$if(!!o, (q) => q.where(o!))
      .execute();
    const name = (ids: { id: string }[], names: Record<string, string>) =>
      ids.map((r) => Object.entries(names).find(([, v]) => v === r.id)?.[0] ?? 'other').sort();
    return {
      customers: name(customers, customer),
      tickets: name(tickets, ticket),
      organizations: name(organizations, org),
    };
  }

  const noScopeAll = new Set(['customers.view' as const, 'tickets.view' as const]);

  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
    k = db.kysely;
    ({ accountId, principal: admin } = await createBareAccount(services));
    for (const key of ['a', 'b', 'c'] as const)
      org[key] = (await services.organizations.create(admin, { name: unique(key) })).id;
    locationB = (await services.locations.create(admin, org.b, { name: 'Bergen' })).id;
    // One customer per organization, one at B's location, one with no organization.
    for (const [key, organizationId] of [
      ['inA', org.a],
      ['inB', org.b],
      ['inC', org.c],
      ['none', null],
    ] as const) {
      const c = await services.customers.create(
        admin,
        {
          firstName: key,
          email: `${unique(key)}@example.org`,
          organizationId,
        },
        'agent',
      );
      customer[key] = c.id;
    }
    customer.atBergen = (
      await services.customers.create(
        admin,
        { firstName: 'Bergen', email: `${unique('bergen')}@example.org`, organizationId: org.b },
        'agent',
      )
    ).id;
    await services.customers.update(admin, id(customer, 'atBergen'), {
      defaultLocationId: locationB,
    });
    // Tickets: one of C's customer assigned to our agent, one of the unorganized customer.
    for (const [key, requesterId] of [
      ['ofC', customer.inC],
      ['ofNone', customer.none],
      ['ofA', customer.inA],
    ] as const) {
      const t = await services.tickets.create(admin, {
        subject: key,
        message: 'Hei',
        requesterId,
      });
      ticket[key] = t.id;
    }
    await k
      .insertInto('users')
      .values({
        account_id: accountId,
        id: userId,
        email: `${unique('agent')}@kunde.test`,
        name: 'Scoped',
        password_hash: null,
        role_id: newId(),
        locale: 'en',
        status: 'active',
        created_at: nowIso(),
        updated_at: nowIso(),
      })
      .execute();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('scope.all, or any team with access all, is the whole account', async () => {
    expect(await resolveScope(k, accountId, userId, new Set(['scope.all']))).toBe(ALL);
    const everything = await team('all', [userId]);
    expect(await resolveScope(k, accountId, userId, noScopeAll)).toBe(ALL);
    await k
      .deleteFrom('team_members')
      .where('account_id', '=', accountId)
      .where('team_id', '=', everything)
      .execute();
  });

  it('an agent in no team sees nothing but what is assigned to them', async () => {
    const scope = await resolveScope(k, accountId, userId, noScopeAll);
    expect(await seen(scope)).toEqual({ customers: [], tickets: [], organizations: [] });
    await services.tickets.update(admin, id(ticket, 'ofC'), { assigneeId: userId });
    const after = await seen(await resolveScope(k, accountId, userId, noScopeAll));
    expect(after).toEqual({ customers: ['inC'], tickets: ['ofC'], organizations: ['c'] });
    await services.tickets.update(admin, id(ticket, 'ofC'), { assigneeId: null });
  });

  it("teams' organizations, whole or by location, add up; a team's own queue counts", async () => {
    const first = await team('organizations', [userId]);
    await give(first, org.a);
    expect(await seen(await resolveScope(k, accountId, userId, noScopeAll))).toEqual({
      customers: ['inA'],
      tickets: ['ofA'],
      organizations: ['a'],
    });
    const second = await team('organizations', [userId]);
    await give(second, org.b, locationB);
    expect(await seen(await resolveScope(k, accountId, userId, noScopeAll))).toEqual({
      customers: ['atBergen', 'inA'],
      tickets: ['ofA'],
      organizations: ['a', 'b'],
    });
    // A ticket routed to one of the agent's teams brings its requester along.
    await services.tickets.update(admin, id(ticket, 'ofNone'), { teamId: second });
    expect(await seen(await resolveScope(k, accountId, userId, noScopeAll))).toEqual({
      customers: ['atBergen', 'inA', 'none'],
      tickets: ['ofA', 'ofNone'],
      organizations: ['a', 'b'],
    });
    // One row by id answers the same, and out of scope is the 404 a missing row gets.
    const scope = await resolveScope(k, accountId, userId, noScopeAll);
    expect(await inScope(k, scope, accountId, 'customer', id(customer, 'none'))).toBe(true);
    expect(await inScope(k, scope, accountId, 'ticket', id(ticket, 'ofC'))).toBe(false);
    await expect(
      requireInScope(k, scope, accountId, 'customer', id(customer, 'inC')),
    ).rejects.toMatchObject({ status: 404, code: 'customer_not_found' });
    await expect(requireInScope(k, ALL, accountId, 'customer', newId())).resolves.toBeUndefined();
    // Leaving a team takes its access away at once.
    await k
      .deleteFrom('team_members')
      .where('account_id', '=', accountId)
      .where('team_id', '=', second)
      .execute();
    expect(await seen(await resolveScope(k, accountId, userId, noScopeAll))).toEqual({
      customers: ['inA'],
      tickets: ['ofA'],
      organizations: ['a'],
    });
  });
});
