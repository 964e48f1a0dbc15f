// The customer list's sort orders and keyset paging (issue 16) over real HTTP on each dialect:
// every sort in both orders pages through the whole list with small pages (ties on the sort key
// broken by number, nothing skipped or repeated), walks back with previousCursor to the first
// page, and refuses what it cannot do (a sort with `q`, a cursor of another sort) with a 422.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../common/customer.ts';
import { CUSTOMER_SORTS, defaultOrder, type CustomerSort } from '../../common/customer-list.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

interface ListPage {
  items: Customer[];
  total: number;
  nextCursor?: string;
  previousCursor?: string;
}

describe.each(testDialects())('sorting the customer list on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let token: string;
  const activity = new Map<string, string>();

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
    const alfa = await server.services.organizations.create(account.admin, { name: 'Alfa' });
    const beta = await server.services.organizations.create(account.admin, { name: 'Beta' });
    // An empty organization between them: the organization walk passes it.
    await server.services.organizations.create(account.admin, { name: 'Alfa Tom' });
    const people: Record<string, unknown>[] = [
      { firstName: 'ola', lastName: 'berg', email: 'c@sort.test', organizationId: beta.id },
      { firstName: 'Ola', lastName: 'Berg', email: 'a@sort.test', organizationId: alfa.id },
      { firstName: 'kari', lastName: 'dahl', phone: '+4741000001' },
      { phone: '+4741000002', organizationId: alfa.id },
      { firstName: 'Bjorn', email: 'b@sort.test', organizationId: beta.id },
      { lastName: 'Aas', email: 'e@sort.test' },
      { firstName: 'Ola', lastName: 'Berg', email: 'd@sort.test', organizationId: alfa.id },
      { email: 'f@sort.test', organizationId: beta.id },
    ];
    for (const person of people) {
      const made = await call('POST', '/api/v1/customers', person);
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    const all = (await call('GET', '/api/v1/customers?limit=200')).body as unknown as ListPage;
    // Two customers share a last activity: the tie goes to number.
    const [first, second, third] = all.items;
    for (const [customer, at] of [
      [first, '2026-11-01T10:00:00.000Z'],
      [second, '2026-11-01T10:00:00.000Z'],
      [third, '2026-10-01T10:00:00.000Z'],
    ] as const) {
      await server.services.customers.touchActivity(
        server.services.db.kysely,
        account.accountId,
        customer!.id,
        at,
      );
      activity.set(customer!.id, at);
    }
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
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    };
  }

  async function page(query: string): Promise<ListPage> {
    const answer = await call('GET', `/api/v1/customers?${query}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body as unknown as ListPage;
  }

  /** The order the database should give, worked out here from what the API shows. */
  function sortKey(sort: CustomerSort, customer: Customer): string {
    switch (sort) {
      case 'name':
        return `${customer.firstName ?? ''} ${customer.lastName ?? ''}`.trim().toLowerCase();
      case 'email':
        return customer.email ?? '';
      case 'organization':
        // Customers without an organization after every organization.
        return customer.organizationName ? `0${customer.organizationName.toLowerCase()}` : '1';
      case 'created':
        return customer.createdAt;
      case 'lastActivity':
        return customer.lastActivityAt ?? customer.createdAt;
      case 'number':
        return String(customer.number).padStart(10, '0');
    }
  }

  function expected(all: Customer[], sort: CustomerSort, order: 'asc' | 'desc'): number[] {
    const sign = order === 'asc' ? 1 : -1;
    return [...all]
      .sort((a, b) => {
        const ka = sortKey(sort, a);
        const kb = sortKey(sort, b);
        if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
        return (a.number - b.number) * sign;
      })
      .map((customer) => customer.number);
  }

  it('shows each customer its last activity, null for one never active', async () => {
    const all = (await page('limit=200')).items;
    expect(all.map((customer) => customer.lastActivityAt)).toEqual(
      all.map((customer) => activity.get(customer.id) ?? null),
    );
    expect(all.filter((customer) => customer.lastActivityAt === null)).toHaveLength(5);
  });

  it.each(
    CUSTOMER_SORTS.flatMap((sort) =>
      (['asc', 'desc'] as const).map((order): [CustomerSort, 'asc' | 'desc'] => [sort, order]),
    ),
  )('sorts by %s %s, pages forward by cursor and back by previousCursor', async (sort, order) => {
    const all = (await page('limit=200')).items;
    expect(all).toHaveLength(8);
    const want = expected(all, sort, order);
    const seen: number[] = [];
    const pages: ListPage[] = [];
    let current = await page(`sort=${sort}&order=${order}&limit=3`);
    expect(current.previousCursor).toBeUndefined();
    expect(current.total).toBe(8);
    for (;;) {
      pages.push(current);
      seen.push(...current.items.map((c) => c.number));
      if (!current.nextCursor) break;
      current = await page(
        `sort=${sort}&order=${order}&limit=3&cursor=${encodeURIComponent(current.nextCursor)}`,
      );
    }
    expect(seen).toEqual(want);
    expect(pages).toHaveLength(3);
    // Back from the last page: each page as it was, the first without a previousCursor.
    let back = pages[pages.length - 1]!;
    for (let index = pages.length - 2; index >= 0; index -= 1) {
      expect(back.previousCursor).toBeDefined();
      back = await page(
        `sort=${sort}&order=${order}&limit=3&cursor=${encodeURIComponent(back.previousCursor!)}`,
      );
      expect(back.items.map((c) => c.number)).toEqual(pages[index]!.items.map((c) => c.number));
    }
    expect(back.previousCursor).toBeUndefined();
    expect(back.nextCursor).toBeDefined();
  });

  it('keeps the old default: newest first, and orders by the default order when none is given', async () => {
    const all = (await page('limit=200')).items.map((c) => c.number);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect(defaultOrder('name')).toBe('asc');
    const byName = (await page('sort=name&limit=200')).items;
    expect(byName.map((c) => c.number)).toEqual(expected(byName, 'name', 'asc'));
  });

  it('refuses sorting a search and a cursor from another sort, naming the field', async () => {
    const search = await call('GET', '/api/v1/customers?q=berg&sort=name');
    expect(search.status).toBe(422);
    expect(search.body.errors).toEqual([
      expect.objectContaining({ field: 'sort', code: 'not_with_search' }),
    ]);
    // The search itself still works, newest first.
    const found = await page('q=berg');
    expect(found.items.map((c) => c.lastName?.toLowerCase())).toEqual(['berg', 'berg', 'berg']);
    const byName = await page('sort=name&limit=2');
    const mixed = await call(
      'GET',
      `/api/v1/customers?sort=email&limit=2&cursor=${encodeURIComponent(byName.nextCursor!)}`,
    );
    expect(mixed.status).toBe(422);
    expect(mixed.body.errors).toEqual([
      expect.objectContaining({ field: 'cursor', code: 'invalid_cursor' }),
    ]);
    const unknown = await call('GET', '/api/v1/customers?sort=phone');
    expect(unknown.status).toBe(422);
  });
});
