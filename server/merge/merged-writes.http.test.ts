// Writes that name a merged-away customer or organization (issue 15), over real HTTP on each
// dialect, route by route: each is refused with 409 customer_merged / organization_merged
// naming `mergedInto` and writes nothing to the pointer, or (a ticket for the old requester id)
// lands on the survivor. Reads of the pointer stay as they are (customer-merge.http.test.ts).
/* eslint-disable @typescript-eslint/restrict-template-expressions -- the bodies are untyped JSON
   and the ids in the paths are strings the API gave out */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

type Json = Record<string, unknown>;

interface World {
  survivor: string;
  duplicate: string;
  /** A live customer of no organization, for the writes that name an organization. */
  other: string;
  orgSurvivor: string;
  orgDuplicate: string;
  group: string;
  team: string;
  /** A routing rule the duplicate organization had, the survivor's since the merge. */
  rule: string;
  agent: string;
  tag: string;
}

interface Case {
  name: string;
  method: string;
  path: (w: World) => string;
  body?: (w: World) => unknown;
  /** The 409 code, or 'survivor': the write lands on the survivor (2xx). */
  expect: 'customer_merged' | 'organization_merged' | 'survivor';
}

const CUSTOMER_CASES: Case[] = [
  {
    name: 'PATCH the customer',
    method: 'PATCH',
    path: (w) => `/api/v1/customers/${w.duplicate}`,
    body: () => ({ firstName: 'Changed' }),
    expect: 'customer_merged',
  },
  {
    name: 'erase the customer',
    method: 'DELETE',
    path: (w) => `/api/v1/customers/${w.duplicate}`,
    expect: 'customer_merged',
  },
  {
    name: 'export the customer’s data',
    method: 'POST',
    path: (w) => `/api/v1/customers/${w.duplicate}/exports`,
    body: () => ({}),
    expect: 'customer_merged',
  },
  {
    name: 'set Hub grants',
    method: 'PUT',
    path: (w) => `/api/v1/customers/${w.duplicate}/hub/organizations`,
    body: (w) => ({ organizationIds: [w.orgSurvivor] }),
    expect: 'customer_merged',
  },
  {
    name: 'send a Hub invitation',
    method: 'POST',
    path: (w) => `/api/v1/customers/${w.duplicate}/hub/invitation`,
    expect: 'customer_merged',
  },
  {
    name: 'move it into an organization',
    method: 'POST',
    path: (w) => `/api/v1/organizations/${w.orgSurvivor}/customers`,
    body: (w) => ({ customerIds: [w.duplicate] }),
    expect: 'customer_merged',
  },
  {
    name: 'edit it as a contact',
    method: 'PATCH',
    path: (w) => `/api/v1/organizations/${w.orgSurvivor}/contacts/${w.duplicate}`,
    body: () => ({ firstName: 'Changed' }),
    expect: 'customer_merged',
  },
  {
    name: 'add it to a notification group',
    method: 'POST',
    path: (w) => `/api/v1/notification-groups/${w.group}/members`,
    body: (w) => ({ customerId: w.duplicate }),
    expect: 'customer_merged',
  },
  {
    name: 'make it a contract’s customer contact',
    method: 'POST',
    path: (w) => `/api/v1/organizations/${w.orgSurvivor}/contracts`,
    body: (w) => ({
      description: `Support ${w.tag}`,
      customerContactId: w.duplicate,
      supportContactId: w.agent,
    }),
    expect: 'customer_merged',
  },
  {
    name: 'merge it into another',
    method: 'POST',
    path: (w) => `/api/v1/customers/${w.other}/merge`,
    body: (w) => ({ duplicateId: w.duplicate }),
    expect: 'customer_merged',
  },
  {
    name: 'raise a ticket with it as requester',
    method: 'POST',
    path: () => '/api/v1/tickets',
    body: (w) => ({
      subject: `For the old id ${w.tag}`,
      message: 'Hello',
      requesterId: w.duplicate,
    }),
    expect: 'survivor',
  },
];

const ORGANIZATION_CASES: Case[] = [
  {
    name: 'PATCH the organization',
    method: 'PATCH',
    path: (w) => `/api/v1/organizations/${w.orgDuplicate}`,
    body: () => ({ notes: 'changed' }),
    expect: 'organization_merged',
  },
  {
    name: 'delete the organization',
    method: 'DELETE',
    path: (w) => `/api/v1/organizations/${w.orgDuplicate}`,
    expect: 'organization_merged',
  },
  {
    name: 'add a domain',
    method: 'POST',
    path: (w) => `/api/v1/organizations/${w.orgDuplicate}/domains`,
    body: (w) => ({ domain: `${w.tag}-new.example` }),
    expect: 'organization_merged',
  },
  {
    name: 'move customers into it',
    method: 'POST',
    path: (w) => `/api/v1/organizations/${w.orgDuplicate}/customers`,
    body: (w) => ({ customerIds: [w.other] }),
    expect: 'organization_merged',
  },
  {
    name: 'move customers into it as a bulk action',
    method: 'POST',
    path: () => '/api/v1/customers/bulk',
    body: (w) => ({ action: 'move', organizationId: w.orgDuplicate, customerIds: [w.other] }),
    expect: 'organization_merged',
  },
  {
    name: 'create a customer in it',
    method: 'POST',
    path: () => '/api/v1/customers',
    body: (w) => ({ email: `new-${w.tag}@elsewhere.example`, organizationId: w.orgDuplicate }),
    expect: 'organization_merged',
  },
  {
    name: 'put a customer in it',
    method: 'PATCH',
    path: (w) => `/api/v1/customers/${w.other}`,
    body: (w) => ({ organizationId: w.orgDuplicate }),
    expect: 'organization_merged',
  },
  {
    name: 'add a contact to it',
    method: 'POST',
    path: (w) => `/api/v1/organizations/${w.orgDuplicate}/contacts`,
    body: (w) => ({ email: `contact-${w.tag}@elsewhere.example` }),
    expect: 'organization_merged',
  },
  {
    name: 'add a contract to it',
    method: 'POST',
    path: (w) => `/api/v1/organizations/${w.orgDuplicate}/contracts`,
    body: (w) => ({
      description: `Support ${w.tag}`,
      customerContactId: w.survivor,
      supportContactId: w.agent,
    }),
    expect: 'organization_merged',
  },
  {
    name: 'add a notification group to it',
    method: 'POST',
    path: (w) => `/api/v1/organizations/${w.orgDuplicate}/notification-groups`,
    body: (w) => ({ name: `Group ${w.tag}` }),
    expect: 'organization_merged',
  },
  {
    name: 'add a location to it',
    method: 'POST',
    path: (w) => `/api/v1/organizations/${w.orgDuplicate}/locations`,
    body: (w) => ({ name: `Office ${w.tag}` }),
    expect: 'organization_merged',
  },
  {
    name: 'add a routing rule to it',
    method: 'POST',
    path: (w) => `/api/v1/organizations/${w.orgDuplicate}/rules`,
    body: (w) => ({ assigneeId: w.agent }),
    expect: 'organization_merged',
  },
  {
    name: 'remove one of its routing rules',
    method: 'DELETE',
    path: (w) => `/api/v1/organizations/${w.orgDuplicate}/rules/${w.rule}`,
    expect: 'organization_merged',
  },
  {
    name: 'create a team serving it',
    method: 'POST',
    path: () => '/api/v1/teams',
    body: (w) => ({
      name: `Team ${w.tag} new`,
      access: 'organizations',
      organizations: [{ organizationId: w.orgDuplicate }],
    }),
    expect: 'organization_merged',
  },
  {
    name: 'let a team serve it',
    method: 'PATCH',
    path: (w) => `/api/v1/teams/${w.team}`,
    body: (w) => ({ access: 'organizations', organizations: [{ organizationId: w.orgDuplicate }] }),
    expect: 'organization_merged',
  },
  {
    name: 'grant a customer its tickets in the Hub',
    method: 'PUT',
    path: (w) => `/api/v1/customers/${w.other}/hub/organizations`,
    body: (w) => ({ organizationIds: [w.orgDuplicate] }),
    expect: 'organization_merged',
  },
  {
    name: 'merge it into another',
    method: 'POST',
    path: (w) => `/api/v1/organizations/${w.orgSurvivor}/merge`,
    body: (w) => ({ duplicateId: w.orgDuplicate }),
    expect: 'organization_merged',
  },
];

describe.each(testDialects())('writes on a merged-away id on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let token: string;
  let world: World;

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  }

  async function ok(method: string, path: string, body?: unknown, status = 200) {
    const r = await call(method, path, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(status);
    return r.body;
  }

  /** What a write could have touched on the pointers, read straight from the tables. */
  async function pointers() {
    const db = server.services.db.kysely;
    const accountId = account.accountId;
    const customer = await db
      .selectFrom('customers')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', world.duplicate)
      .executeTakeFirstOrThrow();
    const organization = await db
      .selectFrom('organizations')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', world.orgDuplicate)
      .executeTakeFirstOrThrow();
    const count = async (
      table:
        | 'contracts'
        | 'notification_groups'
        | 'organization_locations'
        | 'routing_rules'
        | 'team_access'
        | 'organization_domains'
        | 'hub_organization_grants',
    ) =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('account_id', '=', accountId)
            .where('organization_id', '=', world.orgDuplicate)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const byCustomer = async (table: 'notification_group_members' | 'hub_organization_grants') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('account_id', '=', accountId)
            .where('customer_id', '=', world.duplicate)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const tables = [
      'contracts',
      'notification_groups',
      'organization_locations',
      'routing_rules',
      'team_access',
      'organization_domains',
      'hub_organization_grants',
    ] as const;
    const atOrganization: Record<string, number> = {};
    for (const table of tables) atOrganization[table] = await count(table);
    const contracts = await db
      .selectFrom('contracts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('customer_contact_id', '=', world.duplicate)
      .executeTakeFirstOrThrow();
    const customersIn = await db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('organization_id', '=', world.orgDuplicate)
      .executeTakeFirstOrThrow();
    return {
      customer,
      organization,
      atOrganization,
      customersInOrganization: Number(customersIn.n),
      groupMemberships: await byCustomer('notification_group_members'),
      hubGrants: await byCustomer('hub_organization_grants'),
      contractsAsContact: Number(contracts.n),
    };
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
    const tag = unique('mw')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    // The Hub on: an invitation is refused for the merge, not for the Hub being off.
    await ok('PATCH', '/api/v1/settings/hub', { enabled: true, slug: `hub-${tag}` });
    const orgSurvivor = await ok('POST', '/api/v1/organizations', { name: `Kept ${tag}` }, 201);
    const orgDuplicate = await ok('POST', '/api/v1/organizations', { name: `Dup ${tag}` }, 201);
    const survivor = await ok(
      'POST',
      '/api/v1/customers',
      { email: `kept-${tag}@mail.example`, organizationId: orgSurvivor.id },
      201,
    );
    const duplicate = await ok(
      'POST',
      '/api/v1/customers',
      { email: `dup-${tag}@mail.example`, organizationId: orgSurvivor.id },
      201,
    );
    const other = await ok('POST', '/api/v1/customers', { email: `other-${tag}@x.example` }, 201);
    await ok(
      'POST',
      `/api/v1/organizations/${orgDuplicate.id}/domains`,
      {
        domain: `${tag}.example`,
      },
      201,
    );
    const group = await ok(
      'POST',
      `/api/v1/organizations/${orgSurvivor.id}/notification-groups`,
      { name: `Group ${tag}` },
      201,
    );
    const team = await ok('POST', '/api/v1/teams', { name: `Team ${tag}` }, 201);
    const rule = await ok(
      'POST',
      `/api/v1/organizations/${orgDuplicate.id}/rules`,
      { assigneeId: account.admin.userId },
      201,
    );
    await ok('POST', `/api/v1/customers/${survivor.id}/merge`, { duplicateId: duplicate.id });
    await ok('POST', `/api/v1/organizations/${orgSurvivor.id}/merge`, {
      duplicateId: orgDuplicate.id,
    });
    world = {
      survivor: survivor.id as string,
      duplicate: duplicate.id as string,
      other: other.id as string,
      orgSurvivor: orgSurvivor.id as string,
      orgDuplicate: orgDuplicate.id as string,
      group: group.id as string,
      team: team.id as string,
      rule: rule.id as string,
      agent: account.admin.userId ?? '',
      tag,
    };
  }, 60_000);
  afterAll(() => server.close());

  it.each([...CUSTOMER_CASES, ...ORGANIZATION_CASES])('$name: $expect', async (c) => {
    const before = await pointers();
    const response = await call(c.method, c.path(world), c.body?.(world));
    const shown = `${c.method} ${c.path(world)}: ${response.status} ${JSON.stringify(response.body)}`;
    if (c.expect === 'survivor') {
      expect(response.status, shown).toBeLessThan(300);
      expect(response.body.requesterId, shown).toBe(world.survivor);
    } else {
      expect(response.status, shown).toBe(409);
      expect(response.body.code, shown).toBe(c.expect);
      expect(response.body.mergedInto, shown).toBe(
        c.expect === 'customer_merged' ? world.survivor : world.orgSurvivor,
      );
    }
    expect(await pointers()).toEqual(before);
  });

  // A merge holding its rows' locks (as lockLivePair and lockPair take them) while the writes
  // arrive, then committing the pointers: each write waits and is refused, none lands on a
  // pointer. A check read before the write's transaction would let them through.
  it('refuses writes that race a merge: they wait for its locks and see the pointer', async () => {
    const db = server.services.db.kysely;
    const accountId = account.accountId;
    const tag = unique('race')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    const kept = await ok('POST', '/api/v1/organizations', { name: `Kept ${tag}` }, 201);
    const dup = await ok('POST', '/api/v1/organizations', { name: `Dup ${tag}` }, 201);
    const survivor = await ok('POST', '/api/v1/customers', { email: `k-${tag}@r.example` }, 201);
    const person = await ok(
      'POST',
      '/api/v1/customers',
      { email: `p-${tag}@r.example`, organizationId: kept.id },
      201,
    );
    const group = await ok(
      'POST',
      `/api/v1/organizations/${kept.id}/notification-groups`,
      { name: `Group ${tag}` },
      201,
    );
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const merge = db.transaction().execute(async (trx) => {
      for (const [table, id] of [
        ['organizations', dup.id],
        ['customers', person.id],
      ] as const)
        await trx
          .updateTable(table)
          .set({ updated_at: sql<string>`updated_at` })
          .where('account_id', '=', accountId)
          .where('id', '=', id as string)
          .execute();
      locked();
      await held;
      await trx
        .updateTable('organizations')
        .set({ merged_into_id: kept.id as string })
        .where('account_id', '=', accountId)
        .where('id', '=', dup.id as string)
        .execute();
      await trx
        .updateTable('customers')
        .set({ status: 'merged', merged_into_id: survivor.id as string })
        .where('account_id', '=', accountId)
        .where('id', '=', person.id as string)
        .execute();
    });
    await lockTaken;
    const writes = Promise.all([
      call('POST', `/api/v1/organizations/${dup.id}/locations`, { name: `Office ${tag}` }),
      call('POST', `/api/v1/notification-groups/${group.id}/members`, { customerId: person.id }),
    ]);
    // Long enough for both requests to reach the locks.
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await merge;
    const [location, member] = await writes;
    expect([location.status, location.body.code]).toEqual([409, 'organization_merged']);
    expect(location.body.mergedInto).toBe(kept.id);
    expect([member.status, member.body.code]).toEqual([409, 'customer_merged']);
    expect(member.body.mergedInto).toBe(survivor.id);
    const count = async (query: Promise<{ n: number | string | bigint }>) =>
      Number((await query).n);
    expect(
      await count(
        db
          .selectFrom('organization_locations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', accountId)
          .where('organization_id', '=', dup.id as string)
          .executeTakeFirstOrThrow(),
      ),
    ).toBe(0);
    expect(
      await count(
        db
          .selectFrom('notification_group_members')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', accountId)
          .where('customer_id', '=', person.id as string)
          .executeTakeFirstOrThrow(),
      ),
    ).toBe(0);
  });
});
