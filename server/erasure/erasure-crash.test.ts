// An erasure that dies midway finishes later, and erasing twice gives one log row: the job is
// cut off after its first steps (its tickets gone, the customer still marked 'erasing'), mail
// from the person in between makes a new customer, then the queued job runs on a fresh set of
// services over the same database (a restart) and finishes; running it again changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { buildCustomer, createBareAccount } from '../test/factories.ts';
import { runErasure } from './erasure-steps.ts';

class Crash extends Error {}

describe.each(testDialects())('erasure after a crash on %s', (dialect) => {
  let db: TestDb;
  let services: Services;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
  });
  afterAll(() => db.destroy());

  it('finishes on restart, and a second run writes no second log row', async () => {
    const { accountId, principal } = await createBareAccount(services);
    const customer = await services.customers.create(principal, buildCustomer(), 'agent');
    for (let i = 0; i < 3; i++)
      await services.tickets.create(principal, {
        subject: `Closed ${i}`,
        message: 'Done',
        requester: { email: customer.email ?? '' },
        status: 'closed',
      });
    const job = await services.erasure.request(principal, customer.id);
    const request = {
      accountId,
      customerId: customer.id,
      reason: 'agent_request' as const,
      actor: { type: 'user' as const, id: principal.userId, name: principal.name },
      requestedAt: new Date().toISOString(),
    };
    const deps = { db: db.kysely, dialect, files: services.files };
    const crashed = await runErasure(deps, request, undefined, (step) => {
      if (step === 'messages on other tickets') throw new Crash('killed');
    }).catch((e: unknown) => e);
    expect(crashed).toBeInstanceOf(Crash);

    // Halfway: the tickets are gone, the customer is still there, marked, and not logged.
    const tickets = await db.kysely
      .selectFrom('tickets')
      .select('id')
      .where('account_id', '=', accountId)
      .where('requester_id', '=', customer.id)
      .execute();
    expect(tickets).toEqual([]);
    const row = await db.kysely
      .selectFrom('customers')
      .select('status')
      .where('account_id', '=', accountId)
      .where('id', '=', customer.id)
      .executeTakeFirst();
    expect(row?.status).toBe('erasing');
    expect((await services.erasure.deletedCustomers(principal, 10)).total).toBe(0);
    // Nobody reading sees the half-erased customer: not by id, not in the list of all customers.
    await expect(services.customers.get(principal, customer.id)).rejects.toMatchObject({
      status: 404,
    });
    const all = await services.customers.list(principal, { status: 'all', limit: 50 });
    expect(all.items.map((c) => c.id)).not.toContain(customer.id);
    // Mail from the person now makes a new customer, never the half-erased one.
    const fresh = await services.customers.findOrCreateBySender(
      principal,
      { email: customer.email },
      'email',
    );
    expect(fresh).toMatchObject({ created: true });
    expect(fresh.customer.id).not.toBe(customer.id);

    // The restart: new services over the same database run the queued job.
    const restarted = createServices(db);
    expect(await restarted.worker.drain()).toBeGreaterThanOrEqual(1);
    const done = await db.kysely
      .selectFrom('jobs')
      .select('status')
      .where('account_id', '=', accountId)
      .where('id', '=', job.jobId)
      .executeTakeFirstOrThrow();
    expect(done.status).toBe('done');
    const gone = await db.kysely
      .selectFrom('customers')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', '=', customer.id)
      .executeTakeFirst();
    expect(gone).toBeUndefined();
    // Again, as a job run twice would: nothing changes, still one row.
    expect(await runErasure(deps, request)).toBe('done');
    const log = await restarted.erasure.deletedCustomers(principal, 10);
    expect(log.total).toBe(1);
    expect(log.items[0]).toMatchObject({ customerNumber: customer.number });
    // The new customer is untouched.
    expect((await restarted.customers.get(principal, fresh.customer.id)).email).toBe(
      customer.email,
    );
  });
});
