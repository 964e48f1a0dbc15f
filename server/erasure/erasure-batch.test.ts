// Erasure in batches, as the retention purge runs it: a dozen people past retention erased in one
// batch (each table and file scanned once, every row a candidate), their mentions in someone
// else's ticket redacted however they were spelled, and one person erased alone (the database
// picks the candidate rows by address and by the phone's digits with its separators taken out,
// no-break spaces included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../agents/principal.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { buildCustomer, createBareAccount, unique } from '../test/factories.ts';

describe.each(testDialects())('erasure in batches on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  let accountId: string;
  let principal: Principal;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
    ({ accountId, principal } = await createBareAccount(services, {
      customerRetentionDays: 30,
      retentionPurgeEnabled: true,
    }));
  });
  afterAll(() => db.destroy());

  async function person(i: number) {
    const email = `${unique(`gone${i}`)}@example.net`;
    const phone = `+479${String(1000000 + i * 7919).slice(-7)}`;
    const customer = await services.customers.create(
      principal,
      buildCustomer({ email, phone }),
      'agent',
    );
    await services.tickets.create(principal, {
      subject: `Old question ${i}`,
      message: 'Answered long ago',
      requester: { email },
      status: 'closed',
    });
    return { ...customer, email, phone };
  }

  async function ticketOfKeeper(subject: string, message: string) {
    const keeper = await services.customers.create(principal, buildCustomer(), 'agent');
    const ticket = await services.tickets.create(principal, {
      subject,
      message,
      requester: { email: keeper.email ?? '' },
    });
    return { keeper, ticketId: ticket.id };
  }

  /** Their last activity 90 days ago: past the 30-day retention. */
  async function ageOut(ids: string[]) {
    const longAgo = new Date(Date.now() - 90 * 86_400_000).toISOString();
    await db.kysely
      .updateTable('customers')
      .set({ last_activity_at: longAgo })
      .where('account_id', '=', accountId)
      .where('id', 'in', ids)
      .execute();
  }

  /** "+4791234567" as a person writes it: "912 34 567" with no-break spaces. */
  function spelled(phone: string) {
    const national = phone.slice(3);
    return `${national.slice(0, 3)}\u00a0${national.slice(3, 5)}\u00a0${national.slice(5)}`;
  }

  it('purges a dozen people in one batch and redacts each where someone else mentions them', async () => {
    const gone = [];
    for (let i = 0; i < 12; i++) gone.push(await person(i));
    const { keeper, ticketId } = await ticketOfKeeper(
      `Forwarded from ${gone[3]!.email.toUpperCase()}`,
      `Cc ${gone[5]!.email}, call ${spelled(gone[7]!.phone)} or (+47) ${gone[11]!.phone.slice(3)}.`,
    );
    await ageOut(gone.map((g) => g.id));

    expect(await services.erasure.purgeBatch(accountId, 500)).toEqual({ erased: 12, more: false });

    for (const g of gone)
      await expect(services.customers.get(principal, g.id)).rejects.toMatchObject({ status: 404 });
    const log = await services.erasure.deletedCustomers(principal, 50);
    expect(log.items.map((i) => i.customerNumber).sort((a, b) => a - b)).toEqual(
      gone.map((g) => g.number).sort((a, b) => a - b),
    );
    const ticket = await services.tickets.get(principal, ticketId);
    const text = `${ticket.subject}\n${ticket.messages.map((m) => m.text).join('\n')}`;
    for (const g of [gone[3]!, gone[5]!]) expect(text.toLowerCase()).not.toContain(g.email);
    expect(text).not.toContain(spelled(gone[7]!.phone));
    expect(text).not.toContain(gone[11]!.phone.slice(3));
    expect(text).toContain(`***${gone[7]!.phone.slice(-3)}`);
    expect(text).toContain(`***${gone[11]!.phone.slice(-3)}`);
    // The keeper and their ticket stay.
    expect((await services.customers.get(principal, keeper.id)).email).toBe(keeper.email);
  });

  it('erases one person alone and finds a number spelled with no-break spaces', async () => {
    const alone = await person(99);
    const spelledOut = await ticketOfKeeper('Call back', `Please ring ${spelled(alone.phone)}.`);
    const longer = await ticketOfKeeper('Wrong number', `Not 0${alone.phone.slice(3)}0.`);
    await ageOut([alone.id]);
    await services.erasure.request(principal, alone.id);
    await services.worker.drain();
    const body = async (ticketId: string) =>
      (await services.tickets.get(principal, ticketId)).messages[0]?.text ?? '';
    expect(await body(spelledOut.ticketId)).toBe(`Please ring ***${alone.phone.slice(-3)}.`);
    // A longer number that merely contains theirs is someone else's.
    expect(await body(longer.ticketId)).toBe(`Not 0${alone.phone.slice(3)}0.`);
  });
});
