// For the scope tests of the surfaces around customers, organizations and tickets (contacts,
// locations, contracts, time, notification groups, rules, archives, erasure, imports, exports):
// a real server, an administrator, and a scoped agent whose one team serves one organization
// whole and one location of another, with an in-scope and an out-of-scope object of every kind.
// The neighbour account (factories.ts) is there too. createScopedAgent is this branch's own copy
// of the fixture server/test/scope-fixtures.ts provides once i13-scope has landed.
import { PERMISSIONS } from '../../common/permissions.ts';
import type { Principal } from '../agents/principal.ts';
import { insertRole } from '../agents/agent.repository.ts';
import type { Dialect } from '../db/connect.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Services } from '../services.ts';
import { createTestAccount, ensureNeighbour, unique, type Neighbour } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

export interface ScopedAgent {
  userId: string;
  email: string;
  password: string;
  token: string;
  teamId: string;
}

/** What a team's access entry names: an organization whole, or one location of it. */
export interface AccessEntry {
  organizationId: string;
  locationId?: string;
}

/**
 * An agent whose role lacks scope.all, in one team with access 'organizations' to the entries
 * given, with an API token. The principal cache is dropped so the scope holds at once.
 */
export async function createScopedAgent(
  services: Services,
  accountId: string,
  access: AccessEntry[],
): Promise<ScopedAgent> {
  const k = services.db.kysely;
  const now = nowIso();
  const roleId = newId();
  await insertRole(
    k,
    accountId,
    {
      id: roleId,
      name: unique('Scoped '),
      permissions: PERMISSIONS.filter((p) => p !== 'scope.all'),
      builtIn: null,
    },
    now,
  );
  const email = `${unique('scoped')}@example.com`;
  const password = 'correct horse battery';
  const user = await services.agents.createUser(accountId, {
    email,
    name: 'Siri Scoped',
    password,
    roleId,
  });
  const teamId = newId();
  const name = unique('Team ');
  await k
    .insertInto('teams')
    .values({
      account_id: accountId,
      id: teamId,
      name,
      name_key: name.toLowerCase(),
      access: 'organizations',
      created_at: now,
    })
    .execute();
  await k
    .insertInto('team_members')
    .values({ account_id: accountId, team_id: teamId, user_id: user.id })
    .execute();
  for (const entry of access) await giveAccess(services, accountId, teamId, entry);
  const token = (await services.agents.createToken(accountId, user.id, 'scoped')).token;
  return { userId: user.id, email, password, token, teamId };
}

export async function giveAccess(
  services: Services,
  accountId: string,
  teamId: string,
  entry: AccessEntry,
): Promise<void> {
  await services.db.kysely
    .insertInto('team_access')
    .values({
      account_id: accountId,
      id: newId(),
      team_id: teamId,
      organization_id: entry.organizationId,
      location_id: entry.locationId ?? null,
      area_id: null,
      created_at: nowIso(),
    })
    .execute();
  services.agents.forgetAccount(accountId);
}

export async function takeAccess(services: Services, accountId: string, teamId: string) {
  await services.db.kysely
    .deleteFrom('team_access')
    .where('account_id', '=', accountId)
    .where('team_id', '=', teamId)
    .execute();
  services.agents.forgetAccount(accountId);
}

type Ids = Record<'served' | 'other' | 'atLocation' | 'elsewhere', string>;

export interface ScopeWorld {
  server: TestServer;
  services: Services;
  accountId: string;
  admin: Principal;
  adminToken: string;
  agent: ScopedAgent;
  neighbour: Neighbour;
  /** served: given whole; split: only its location `location`; other: not given. */
  organizations: Record<'served' | 'split' | 'other', string>;
  location: string;
  /** served (served org), other (other org), atLocation / elsewhere (split org, at or off it). */
  customers: Ids;
  /** One ticket of each customer above, same keys. */
  tickets: Ids;
  /** One time entry on each ticket, same keys. */
  timeEntries: Ids;
  /** The contract of each organization; the split one covers the tickets at and off the location. */
  contracts: Record<'served' | 'split' | 'other', string>;
  call(token: string, method: string, path: string, body?: unknown): Promise<Answer>;
}

export async function scopeWorld(dialect: Dialect): Promise<ScopeWorld> {
  const server = await startTestServer({ dialect });
  const services = server.services;
  const neighbour = await ensureNeighbour(services);
  const account = await createTestAccount(services);
  const { accountId, admin } = account;
  const adminId = admin.userId ?? '';
  const adminToken = (await services.agents.createToken(accountId, adminId, 'admin')).token;
  const org = async (key: string) =>
    (await services.organizations.create(admin, { name: unique(key) })).id;
  const organizations = {
    served: await org('Served '),
    split: await org('Split '),
    other: await org('Other '),
  };
  const location = (await services.locations.create(admin, organizations.split, { name: 'Bergen' }))
    .id;
  const customer = async (key: string, organizationId: string) =>
    (
      await services.customers.create(
        admin,
        { firstName: key, lastName: 'Kunde', email: `${unique(key)}@example.org`, organizationId },
        'agent',
      )
    ).id;
  const customers: Ids = {
    served: await customer('served', organizations.served),
    other: await customer('other', organizations.other),
    atLocation: await customer('atlocation', organizations.split),
    elsewhere: await customer('elsewhere', organizations.split),
  };
  await services.customers.update(admin, customers.atLocation, { defaultLocationId: location });
  const contract = async (organizationId: string, contactId: string) =>
    (
      await services.contracts.create(admin, organizationId, {
        description: unique('Contract '),
        customerContactId: contactId,
        supportContactId: adminId,
      })
    ).id;
  const contracts = {
    served: await contract(organizations.served, customers.served),
    split: await contract(organizations.split, customers.atLocation),
    other: await contract(organizations.other, customers.other),
  };
  const tickets = {} as Ids;
  const timeEntries = {} as Ids;
  for (const key of ['served', 'other', 'atLocation', 'elsewhere'] as const) {
    const ticket = await services.tickets.create(admin, {
      subject: `Subject ${key}`,
      message: 'Hei',
      requesterId: customers[key],
    });
    tickets[key] = ticket.id;
    const entry = await services.timeEntries.log(admin, ticket.id, {
      minutes: 30,
      workDate: '2026-11-30',
      note: `Work ${key}`,
    });
    timeEntries[key] = entry.id;
  }
  const agent = await createScopedAgent(services, accountId, [
    { organizationId: organizations.served },
    { organizationId: organizations.split, locationId: location },
  ]);
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
    let parsed: Record<string, unknown> = {};
    if (text && (response.headers.get('content-type') ?? '').includes('json'))
      parsed = JSON.parse(text) as Record<string, unknown>;
    return { status: response.status, body: parsed, text };
  }
  return {
    server,
    services,
    accountId,
    admin,
    adminToken,
    agent,
    neighbour,
    organizations,
    location,
    customers,
    tickets,
    timeEntries,
    contracts,
    call,
  };
}

/** The ids of a list answer's items. */
export function ids(answer: Answer): string[] {
  const items = (answer.body.items ?? []) as { id: string }[];
  return items.map((item) => item.id).sort();
}
