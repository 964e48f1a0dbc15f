// When erasure is allowed, against a real database on each dialect: every unresolved status
// refuses with the ticket numbers, resolved and closed do not, and the retention period ends at
// local midnight in the account's time zone (one minute either side of the boundary, in zones
// other than UTC, across a DST change), with retention 0 meaning no period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErasureDryRun } from '../../common/erasure.ts';
import { TICKET_STATUSES, type TicketStatus } from '../../common/ticket.ts';
import { AppError } from '../errors.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { buildCustomer, createBareAccount } from '../test/factories.ts';
import type { Principal } from '../agents/principal.ts';
import { ErasureService } from './erasure.service.ts';

const MINUTE = 60_000;

describe.each(testDialects())('erasure preconditions on %s', (dialect) => {
  let db: TestDb;
  let services: Services;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
  });
  afterAll(() => db.destroy());

  /** An account with these retention settings and a customer last active at `lastActivity`. */
  async function setup(
    settings: { customerRetentionDays?: number; timeZone?: string },
    lastActivity?: string,
  ) {
    const { accountId, principal } = await createBareAccount(services, settings);
    const customer = await services.customers.create(principal, buildCustomer(), 'agent');
    if (lastActivity)
      await db.kysely
        .updateTable('customers')
        .set({ last_activity_at: lastActivity })
        .where('account_id', '=', accountId)
        .where('id', '=', customer.id)
        .execute();
    return { accountId, principal, customer };
  }

  function at(now: string) {
    return new ErasureService({ db: db.kysely, dialect, files: services.files }, undefined, () =>
      Date.parse(now),
    );
  }

  async function ticket(principal: Principal, email: string, status: TicketStatus) {
    const made = await services.tickets.create(principal, {
      subject: `A ${status} ticket`,
      message: 'Hello',
      requester: { email },
    });
    // Set as an agent would (a customer's message on a resolved ticket opens it again).
    return status === 'open' ? made : services.tickets.update(principal, made.id, { status });
  }

  async function refusal(promise: Promise<unknown>): Promise<AppError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  function codes(run: ErasureDryRun) {
    return run.reasons.map((r) => r.code);
  }

  for (const status of ['open', 'pending', 'error'] as const) {
    it(`refuses a customer with a ${status} ticket, naming its number`, async () => {
      const { principal, customer } = await setup({});
      const t = await ticket(principal, customer.email ?? '', status);
      const run = await services.erasure.dryRun(principal, customer.id);
      expect(run.allowed).toBe(false);
      expect(run.reasons).toEqual([
        expect.objectContaining({ code: 'unresolved_tickets', count: 1, tickets: [t.number] }),
      ]);
      const error = await refusal(services.erasure.request(principal, customer.id));
      expect(error.status).toBe(409);
      expect(error.code).toBe('erasure_refused');
      expect(error.message).toContain(`#${t.number}`);
      // Refused means untouched: the customer is still found by their email.
      const again = await services.customers.findOrCreateBySender(
        principal,
        { email: customer.email },
        'email',
      );
      expect(again.created).toBe(false);
      expect(again.customer.id).toBe(customer.id);
    });
  }

  for (const status of ['resolved', 'closed'] as const) {
    it(`allows a customer whose only ticket is ${status}`, async () => {
      const { principal, customer } = await setup({});
      await ticket(principal, customer.email ?? '', status);
      const run = await services.erasure.dryRun(principal, customer.id);
      expect(run).toMatchObject({ allowed: true, reasons: [] });
      expect(run.counts).toMatchObject({ tickets: 1, messages: 1 });
    });
  }

  it('lists only the unresolved tickets among all five statuses', async () => {
    const { principal, customer } = await setup({});
    const made = [];
    for (const status of TICKET_STATUSES)
      made.push(await ticket(principal, customer.email ?? '', status));
    const run = await services.erasure.dryRun(principal, customer.id);
    expect(run.reasons[0]).toMatchObject({
      code: 'unresolved_tickets',
      count: 3,
      tickets: made.slice(0, 3).map((t) => t.number),
    });
    expect(run.counts.tickets).toBe(5);
  });

  it("is not blocked by someone else's open ticket", async () => {
    const { principal, customer } = await setup({});
    await ticket(principal, `other-${customer.email}`, 'open');
    expect((await services.erasure.dryRun(principal, customer.id)).allowed).toBe(true);
  });

  it('allows a deactivated customer like an active one', async () => {
    const { principal, customer } = await setup({});
    await services.customers.update(principal, customer.id, { status: 'deactivated' });
    expect((await services.erasure.dryRun(principal, customer.id)).allowed).toBe(true);
  });

  it('blocks again once a resolved ticket is reopened', async () => {
    const { principal, customer } = await setup({});
    const t = await ticket(principal, customer.email ?? '', 'resolved');
    expect((await services.erasure.dryRun(principal, customer.id)).allowed).toBe(true);
    await services.tickets.update(principal, t.id, { status: 'open' });
    const run = await services.erasure.dryRun(principal, customer.id);
    expect(run.reasons[0]).toMatchObject({ code: 'unresolved_tickets', tickets: [t.number] });
  });

  it('allows a customer created a moment ago when the retention period is 0', async () => {
    const { principal, customer } = await setup({ customerRetentionDays: 0 });
    expect((await services.erasure.dryRun(principal, customer.id)).allowed).toBe(true);
  });

  // [zone, days, last activity (UTC), local day erasure becomes possible, that midnight in UTC]
  const boundaries: [string, number, string, string, string][] = [
    // Summer time: Oslo is UTC+2, so local midnight is 22:00 UTC the day before.
    ['Europe/Oslo', 30, '2026-03-10T10:00:00Z', '2026-04-10', '2026-04-09T22:00:00.000Z'],
    // 23:30 UTC is already the next day in Oslo (00:30): that local day counts.
    ['Europe/Oslo', 1, '2026-01-15T23:30:00Z', '2026-01-18', '2026-01-17T23:00:00.000Z'],
    // Across the spring DST change (29 March): the boundary is at the summer offset.
    ['Europe/Oslo', 1, '2026-03-28T12:00:00Z', '2026-03-30', '2026-03-29T22:00:00.000Z'],
    // 03:00 UTC is still the day before in New York (22:00).
    ['America/New_York', 1, '2026-01-16T03:00:00Z', '2026-01-17', '2026-01-17T05:00:00.000Z'],
    // 20:00 UTC is 01:30 the next day in Kolkata (UTC+5:30).
    ['Asia/Kolkata', 7, '2026-06-01T20:00:00Z', '2026-06-10', '2026-06-09T18:30:00.000Z'],
    // Southern hemisphere, across Sydney's October DST change (UTC+10 → +11 at 02:00 on the 4th).
    ['Australia/Sydney', 1, '2026-10-02T05:00:00Z', '2026-10-04', '2026-10-03T14:00:00.000Z'],
    ['Pacific/Chatham', 2, '2026-07-01T00:00:00Z', '2026-07-04', '2026-07-03T11:15:00.000Z'],
  ];

  for (const [zone, days, last, date, boundary] of boundaries) {
    it(`${zone}, ${days} days after ${last}: refused a minute before ${boundary}, allowed a minute after`, async () => {
      const { principal, customer } = await setup(
        { customerRetentionDays: days, timeZone: zone },
        last,
      );
      const before = new Date(Date.parse(boundary) - MINUTE).toISOString();
      const after = new Date(Date.parse(boundary) + MINUTE).toISOString();
      const refused = await at(before).dryRun(principal, customer.id);
      expect(codes(refused)).toEqual(['within_retention']);
      expect(refused.reasons[0]).toMatchObject({
        possibleFrom: boundary,
        possibleFromDate: date,
        timeZone: zone,
      });
      expect((await at(boundary).dryRun(principal, customer.id)).allowed).toBe(true);
      expect((await at(after).dryRun(principal, customer.id)).allowed).toBe(true);
      const error = await refusal(at(before).request(principal, customer.id));
      expect(error.status).toBe(409);
      expect(error.extra.reasons).toEqual([expect.objectContaining({ possibleFrom: boundary })]);
    });
  }

  it('counts from the creation when there was never any activity', async () => {
    const { principal, customer } = await setup({
      customerRetentionDays: 10,
      timeZone: 'Europe/Oslo',
    });
    const run = await services.erasure.dryRun(principal, customer.id);
    expect(codes(run)).toEqual(['within_retention']);
    const created = Date.parse(customer.createdAt);
    const possible = Date.parse((run.reasons[0] as { possibleFrom: string }).possibleFrom);
    expect(possible - created).toBeGreaterThan(10 * 86_400_000);
    expect(possible - created).toBeLessThanOrEqual(11 * 86_400_000 + 2 * 3_600_000);
  });

  it('gives both reasons at once', async () => {
    const { principal, customer } = await setup({ customerRetentionDays: 36_500 });
    await ticket(principal, customer.email ?? '', 'pending');
    const run = await services.erasure.dryRun(principal, customer.id);
    expect(codes(run)).toEqual(['unresolved_tickets', 'within_retention']);
    expect((run.reasons[1] as { possibleFromDate: string }).possibleFromDate >= '2126').toBe(true);
  });

  it('answers 404 for a customer of another account', async () => {
    const { customer } = await setup({});
    const other = await createBareAccount(services);
    const error = await refusal(services.erasure.dryRun(other.principal, customer.id));
    expect(error.status).toBe(404);
  });

  it('refuses a retention period or time zone that is not one', async () => {
    const { accountId } = await createBareAccount(services);
    for (const patch of [
      { customerRetentionDays: -1 },
      { customerRetentionDays: 36_501 },
      { timeZone: 'Europe/Atlantis' },
    ]) {
      const { accountSettingsUpdateSchema } = await import('../../common/settings.ts');
      expect(accountSettingsUpdateSchema.safeParse(patch).success).toBe(false);
    }
    const saved = await services.settings.update(accountId, {
      customerRetentionDays: 365,
      timeZone: 'America/Sao_Paulo',
    });
    expect(saved).toMatchObject({ customerRetentionDays: 365, timeZone: 'America/Sao_Paulo' });
  });

  it('once allowed: marks the customer so new mail makes a new customer, and logs one row', async () => {
    const { principal, customer } = await setup({});
    const job = await services.erasure.request(principal, customer.id);
    expect(job).toMatchObject({ customerId: customer.id, status: 'queued' });
    const fresh = await services.customers.findOrCreateBySender(
      principal,
      { email: customer.email },
      'email',
    );
    expect(fresh.created).toBe(true);
    expect(fresh.customer.id).not.toBe(customer.id);
    // A second request while the first is running: the customer is no longer there to erase.
    expect((await refusal(services.erasure.request(principal, customer.id))).status).toBe(404);
    await services.worker.drain();
    const log = await services.erasure.deletedCustomers(principal, 10);
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      customerNumber: customer.number,
      reason: 'agent_request',
      deletedBy: { name: principal.name },
    });
    // The new customer with the same email is untouched.
    expect((await services.customers.get(principal, fresh.customer.id)).email).toBe(customer.email);
  });
});
