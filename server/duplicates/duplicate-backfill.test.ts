// The duplicate suggestion backfill on both databases (issue 15 point 4): customers written with
// upkeep on give the pairs and keys to compare with; then the database is made old (its match
// keys and suggestions deleted, as an account from before upkeep has none) and the backfill, in
// batches of 3, gives the same pairs with the same reasons, for every reason. A second run
// changes nothing, a dismissed pair stays dismissed, pairs already there are kept, the
// neighbour account is untouched, and a walk cut off midway resumes from its position on a
// fresh set of services (a restart) and finishes, its job done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../agents/principal.ts';
import type { CustomerCreate } from '../../common/customer.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount, unique } from '../test/factories.ts';
import { DuplicateBackfill } from './duplicate-backfill.ts';
import { dismissSuggestion } from './duplicate.repository.ts';

class Crash extends Error {}

describe.each(testDialects())('duplicate suggestion backfill on %s', (dialect) => {
  let db: TestDb;
  let services: Services;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
  });
  afterAll(() => db.destroy());

  /** Customers giving a pair for each reason, and some that pair with nobody. */
  async function customersOfEveryReason(principal: Principal): Promise<string[]> {
    const domain = `${unique('d')}.example`.toLowerCase();
    const org = await services.organizations.create(principal, { name: unique('Org ') });
    const elsewhere = await services.organizations.create(principal, { name: unique('Org ') });
    const inputs: CustomerCreate[] = [
      { email: `ola@${domain}` },
      { email: `Ola+Support@${domain}`, firstName: 'Ola' },
      { email: `ola+support@other-${domain}` },
      { email: `ola+billing@${domain}` },
      {
        email: `${unique('ase')}@n.example`,
        firstName: 'Åse',
        lastName: 'Bakken',
        organizationId: org.id,
      },
      {
        email: `${unique('ase')}@n.example`,
        firstName: 'Åse',
        lastName: 'Bakken',
        organizationId: elsewhere.id,
      },
      {
        email: `${unique('ase')}@n.example`,
        firstName: 'ase',
        lastName: 'BAKKEN',
        organizationId: org.id,
      },
      { phone: '+47 911 11 111', firstName: 'Sms' },
      {
        email: `${unique('m')}@p.example`,
        customAttributes: { mobil: 'ring 911 11 111 etter kl 12' },
      },
      { email: `${unique('s')}@p.example`, customAttributes: { mobil: '922 22 222' } },
      { email: `${unique('s')}@p.example`, customAttributes: { telefon: '+47 92222222' } },
      { email: `${unique('alone')}@p.example`, firstName: 'Alone' },
    ];
    const ids: string[] = [];
    for (const input of inputs)
      ids.push((await services.customers.create(principal, input, 'agent')).id);
    return ids;
  }

  const suggestionRows = (accountId: string) =>
    db.kysely
      .selectFrom('duplicate_suggestions')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('customer_a')
      .orderBy('customer_b')
      .execute();
  const keyRows = (accountId: string) =>
    db.kysely
      .selectFrom('customer_match_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('kind')
      .orderBy('key')
      .orderBy('customer_id')
      .execute();
  /** The pairs with their reasons (in a fixed order), as upkeep and the backfill both give them. */
  async function pairs(accountId: string) {
    return (await suggestionRows(accountId)).map((row) => ({
      pair: `${row.customer_a} ${row.customer_b}`,
      reasons: (JSON.parse(row.reasons) as unknown[]).map((r) => JSON.stringify(r)).sort(),
      dismissed: row.dismissed_at !== null,
    }));
  }
  /** What an account from before upkeep has: no match keys, no suggestions. */
  async function makeOld(accountId: string) {
    await db.kysely.deleteFrom('customer_match_keys').where('account_id', '=', accountId).execute();
    await db.kysely
      .deleteFrom('duplicate_suggestions')
      .where('account_id', '=', accountId)
      .execute();
  }

  it('finds the pairs upkeep found, for every reason; again it changes nothing; dismissed stays dismissed', async () => {
    const { accountId, principal } = await createBareAccount(services);
    const neighbour = await createBareAccount(services);
    await customersOfEveryReason(principal);
    await customersOfEveryReason(neighbour.principal);
    const expected = await pairs(accountId);
    const codes = new Set(
      (await suggestionRows(accountId)).flatMap((row) =>
        (JSON.parse(row.reasons) as { code: string }[]).map((r) => r.code),
      ),
    );
    expect([...codes].sort()).toEqual([
      'email_subaddress',
      'phone_in_custom_field',
      'same_name_same_organization',
      'same_phone',
    ]);
    const expectedKeys = await keyRows(accountId);
    expect(expectedKeys.length).toBeGreaterThan(0);
    const neighbourBefore = [
      await suggestionRows(neighbour.accountId),
      await keyRows(neighbour.accountId),
    ];

    await makeOld(accountId);
    expect(await pairs(accountId)).toEqual([]);
    const backfill = new DuplicateBackfill(db.kysely, undefined, 3);
    await backfill.request(accountId);
    const batches: number[] = [];
    expect(
      await backfill.run(accountId, { afterBatch: (s) => void batches.push(s.customersDone) }),
    ).toBe('done');
    // 12 customers in batches of 3: the fifth batch finds none left.
    expect(batches).toEqual([3, 6, 9, 12, 12]);
    expect(await pairs(accountId)).toEqual(expected);
    expect(await keyRows(accountId)).toEqual(expectedKeys);
    expect(await backfill.state(accountId)).toMatchObject({ customersDone: 12, finished: true });

    // Again: not a row changes (ids, reasons, times).
    const first = await suggestionRows(accountId);
    await backfill.request(accountId);
    await backfill.run(accountId);
    expect(await suggestionRows(accountId)).toEqual(first);
    expect(await keyRows(accountId)).toEqual(expectedKeys);

    // A dismissed pair stays dismissed, its reasons as they were.
    const dismissed = first[0]!;
    await dismissSuggestion(db.kysely, accountId, dismissed.id, 'Agent', new Date().toISOString());
    const afterDismissal = await suggestionRows(accountId);
    await backfill.request(accountId);
    await backfill.run(accountId);
    expect(await suggestionRows(accountId)).toEqual(afterDismissal);

    // Pairs already there are kept as they are; one missing is found again.
    const [gone, ...kept] = afterDismissal.filter((row) => row.id !== dismissed.id);
    await db.kysely
      .deleteFrom('duplicate_suggestions')
      .where('account_id', '=', accountId)
      .where('id', '=', gone!.id)
      .execute();
    await db.kysely.deleteFrom('customer_match_keys').where('account_id', '=', accountId).execute();
    await backfill.request(accountId);
    await backfill.run(accountId);
    const now = await suggestionRows(accountId);
    const isGone = (row: { customer_a: string; customer_b: string }) =>
      row.customer_a === gone!.customer_a && row.customer_b === gone!.customer_b;
    expect(now.filter((row) => row.id !== dismissed.id && !isGone(row))).toEqual(kept);
    expect(now.find((row) => row.id === dismissed.id)).toEqual(
      afterDismissal.find((row) => row.id === dismissed.id),
    );
    expect(now.find(isGone)).toMatchObject({ reasons: gone!.reasons, dismissed_at: null });
    expect(await pairs(accountId)).toEqual(
      expected.map((p) =>
        p.pair === `${dismissed.customer_a} ${dismissed.customer_b}`
          ? { ...p, dismissed: true }
          : p,
      ),
    );

    // The neighbour account was never touched.
    expect([await suggestionRows(neighbour.accountId), await keyRows(neighbour.accountId)]).toEqual(
      neighbourBefore,
    );
    expect(await backfill.state(neighbour.accountId)).toBeUndefined();
  });

  it('resumes after a crash from where the last batch ended, and its job finishes', async () => {
    const { accountId, principal } = await createBareAccount(services);
    await customersOfEveryReason(principal);
    const expected = await pairs(accountId);
    await makeOld(accountId);

    const backfill = new DuplicateBackfill(db.kysely, undefined, 3);
    await backfill.request(accountId);
    const crashed = await backfill
      .run(accountId, {
        afterBatch: (state) => {
          if (state.customersDone === 6) throw new Crash('killed');
        },
      })
      .catch((e: unknown) => e);
    expect(crashed).toBeInstanceOf(Crash);
    expect(await backfill.state(accountId)).toMatchObject({ customersDone: 6, finished: false });
    const halfway = await pairs(accountId);
    expect(halfway.length).toBeLessThan(expected.length);

    // The restart: new services over the same database run the queued job, which goes on from
    // the position (a walk from the start would count 6 + 12).
    const restarted = createServices(db);
    expect(await restarted.worker.drain()).toBeGreaterThanOrEqual(1);
    expect(await restarted.duplicateBackfill.state(accountId)).toMatchObject({
      customersDone: 12,
      finished: true,
    });
    expect(await pairs(accountId)).toEqual(expected);
    const jobs = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('account_id', '=', accountId)
      .where('kind', '=', 'duplicate-backfill')
      .execute();
    expect(jobs).toEqual([{ status: 'done', attempts: 1 }]);
  });

  it('stops between batches when asked, and the next run goes on from there', async () => {
    const { accountId, principal } = await createBareAccount(services);
    await customersOfEveryReason(principal);
    const expected = await pairs(accountId);
    await makeOld(accountId);
    const backfill = new DuplicateBackfill(db.kysely, undefined, 3);
    await backfill.request(accountId);
    let batches = 0;
    expect(
      await backfill.run(accountId, {
        stopping: () => batches >= 2,
        afterBatch: () => void batches++,
      }),
    ).toBe('stopped');
    expect(await backfill.state(accountId)).toMatchObject({ customersDone: 6, finished: false });
    expect(await backfill.run(accountId)).toBe('done');
    expect(await backfill.state(accountId)).toMatchObject({ customersDone: 12, finished: true });
    expect(await pairs(accountId)).toEqual(expected);
  });
});
