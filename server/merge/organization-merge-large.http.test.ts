// A large organization merge on both databases (issue 15): a duplicate with 3,000 customers and
// 10,000 tickets merges in one transaction and undoes, over real HTTP, and the times are printed
// (the set-based moves: a statement per few hundred rows, never one per customer or ticket).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../db/ids.ts';
import { insertClosedTickets } from '../test/bulk-tickets.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

const CUSTOMERS = 3_000;
const TICKETS = 10_000;

describe.each(testDialects())('a large organization merge on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let accountId: string;

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const account = await createTestAccount(server.services);
    accountId = account.accountId;
    admin = (await server.services.agents.createToken(accountId, account.admin.userId ?? '', 't'))
      .token;
  }, 60_000);
  afterAll(() => server.close());

  it(`moves ${CUSTOMERS} customers and ${TICKETS} tickets and back`, async () => {
    const db = server.services.db.kysely;
    const tag = unique('big')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    const survivor = await call('POST', '/api/v1/organizations', { name: `Big ${tag}` });
    const duplicate = await call('POST', '/api/v1/organizations', { name: `Big dup ${tag}` });
    const dupId = duplicate.body.id as string;
    const first = await call('POST', `/api/v1/organizations/${dupId}/contacts`, {
      email: `first@${tag}.example`,
    });
    const template = await db
      .selectFrom('customers')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', first.body.id as string)
      .executeTakeFirstOrThrow();
    // The rest straight into the table, a few hundred per statement (the API would take minutes).
    for (let start = 1; start < CUSTOMERS; start += 300) {
      const rows = [];
      for (let i = start; i < Math.min(CUSTOMERS, start + 300); i++)
        rows.push({
          ...template,
          id: newId(),
          number: Number(template.number) + 100_000 + i,
          email: `c${i}@${tag}.example`,
          search_text: `c${i}@${tag}.example`,
        });
      await db.insertInto('customers').values(rows).execute();
    }
    await insertClosedTickets(
      db,
      accountId,
      { id: template.id, email: template.email },
      TICKETS,
      0,
    );
    await db
      .updateTable('tickets')
      .set({ organization_id: dupId })
      .where('account_id', '=', accountId)
      .where('requester_id', '=', template.id)
      .execute();

    const survivorId = survivor.body.id as string;
    const mergedFrom = new Date().toISOString();
    let started = performance.now();
    const merged = await call('POST', `/api/v1/organizations/${survivorId}/merge`, {
      duplicateId: dupId,
    });
    const mergeMs = performance.now() - started;
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.moved).toMatchObject({ customers: CUSTOMERS, tickets: TICKETS });
    const count = async (table: 'customers' | 'tickets', organizationId: string) =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('account_id', '=', accountId)
            .where('organization_id', '=', organizationId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect([await count('customers', survivorId), await count('tickets', survivorId)]).toEqual([
      CUSTOMERS,
      TICKETS,
    ]);
    const audits = await db
      .selectFrom('customer_audit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('created_at', '>=', mergedFrom)
      .executeTakeFirstOrThrow();
    expect(Number(audits.n)).toBe(CUSTOMERS);

    started = performance.now();
    const undone = await call(
      'POST',
      `/api/v1/organization-merges/${String((merged.body.merge as { id: string }).id)}/undo`,
    );
    const undoMs = performance.now() - started;
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect([await count('customers', dupId), await count('tickets', dupId)]).toEqual([
      CUSTOMERS,
      TICKETS,
    ]);
    console.log(
      `organization merge ${dialect}: ${CUSTOMERS} customers + ${TICKETS} tickets merged in ` +
        `${Math.round(mergeMs)} ms, undone in ${Math.round(undoMs)} ms`,
    );
  }, 300_000);
});
