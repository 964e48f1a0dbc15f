// Customer rules against a real database, once per dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { buildCustomer, createTestAccount, unique, type TestAccount } from '../test/factories.ts';

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(testDialects())('customers on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  let account: TestAccount;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
    account = await createTestAccount(services);
  });
  afterAll(() => db.destroy());

  it('creates a customer from only a mobile number, normalized to E.164, numbered per account', async () => {
    const first = await services.customers.create(
      account.admin,
      { phone: '+47 412 34 567' },
      'agent',
    );
    const second = await services.customers.create(account.admin, { phone: '41234568' }, 'agent');
    expect(first.phone).toBe('+4741234567');
    expect(first.email).toBeNull();
    expect(first.status).toBe('active');
    expect(first.version).toBe(1);
    expect(second.number).toBe(first.number + 1);
  });

  it('refuses a customer with neither email nor phone, and writes nothing', async () => {
    const before = await services.customers.list(account.admin, { status: 'all', limit: 1 });
    const error = await rejection(
      services.customers.create(account.admin, { firstName: 'Nobody' }, 'agent'),
    );
    expect(error.status).toBe(422);
    expect(error.extra.errors).toEqual([
      {
        field: 'email',
        code: 'email_or_phone_required',
        message: 'an email address or a mobile number is required',
      },
    ]);
    const after = await services.customers.list(account.admin, { status: 'all', limit: 1 });
    expect(after.total).toBe(before.total);
  });

  it('answers 409 naming the existing customer for the same email in another case', async () => {
    const email = `${unique('kari')}@Example.com`;
    const existing = await services.customers.create(
      account.admin,
      buildCustomer({ email }),
      'agent',
    );
    const error = await rejection(
      services.customers.create(
        account.admin,
        buildCustomer({ email: ` ${email.toUpperCase()} ` }),
        'agent',
      ),
    );
    expect(error.status).toBe(409);
    expect(error.code).toBe('customer_email_taken');
    expect(error.extra.existingCustomerId).toBe(existing.id);
  });

  it('answers 409 for the same number written another way', async () => {
    const existing = await services.customers.create(
      account.admin,
      { phone: '+47 930 00 001' },
      'agent',
    );
    const error = await rejection(
      services.customers.create(account.admin, { phone: '0047 93000001' }, 'agent'),
    );
    expect(error.code).toBe('customer_phone_taken');
    expect(error.extra.existingCustomerId).toBe(existing.id);
  });

  it('keeps identities per account: the same email may exist in another account', async () => {
    const other = await createTestAccount(services);
    const email = `${unique('shared')}@example.com`;
    const mine = await services.customers.create(account.admin, { email }, 'agent');
    const theirs = await services.customers.create(other.admin, { email }, 'agent');
    expect(theirs.id).not.toBe(mine.id);
    await expect(services.customers.get(other.admin, mine.id)).rejects.toMatchObject({
      status: 404,
    });
    const theirList = await services.customers.list(other.admin, { status: 'all', limit: 200 });
    expect(theirList.items.map((c) => c.id)).not.toContain(mine.id);
  });

  it('creates exactly one customer when the same new email arrives concurrently', async () => {
    const email = `${unique('race')}@example.com`;
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => services.customers.create(account.admin, { email }, 'api')),
    );
    const created = results.filter((r) => r.status === 'fulfilled');
    expect(created).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('customer_email_taken');
    }
  });

  it('edits, audits each change, and refuses a stale version', async () => {
    const customer = await services.customers.create(
      account.admin,
      buildCustomer({ customAttributes: { role: 'CTO' } }),
      'agent',
    );
    const edited = await services.customers.update(account.admin, customer.id, {
      lastName: 'Hansen',
      customAttributes: { role: 'CEO', department: 'Board' },
      version: 1,
    });
    expect(edited.lastName).toBe('Hansen');
    expect(edited.version).toBe(2);
    expect(edited.customAttributes).toEqual({ role: 'CEO', department: 'Board' });

    const stale = await rejection(
      services.customers.update(account.admin, customer.id, { firstName: 'Per', version: 1 }),
    );
    expect(stale.status).toBe(409);
    expect(stale.code).toBe('version_conflict');
    expect((await services.customers.get(account.admin, customer.id)).firstName).toBe('Ola');

    const unchanged = await services.customers.update(account.admin, customer.id, {
      lastName: 'Hansen',
    });
    expect(unchanged.version).toBe(2);

    const audit = await services.customers.auditTrail(account.admin, customer.id, 25);
    expect(audit.items.map((e) => e.action)).toEqual(['updated', 'created']);
    expect(audit.items[0]?.actor).toEqual({
      type: 'user',
      id: account.admin.userId,
      name: 'Ada Admin',
    });
    expect(audit.items[0]?.changes).toEqual({
      lastName: { from: 'Nordmann', to: 'Hansen' },
      'customAttributes.role': { from: 'CTO', to: 'CEO' },
      'customAttributes.department': { from: null, to: 'Board' },
    });
  });

  it('changes an email: the old one is free again, the new one taken', async () => {
    const oldEmail = `${unique('old')}@example.com`;
    const newEmail = `${unique('new')}@example.com`;
    const customer = await services.customers.create(account.admin, { email: oldEmail }, 'agent');
    await services.customers.update(account.admin, customer.id, { email: newEmail });
    await expect(
      services.customers.create(account.admin, { email: newEmail }, 'agent'),
    ).rejects.toMatchObject({ code: 'customer_email_taken' });
    const reuse = await services.customers.create(account.admin, { email: oldEmail }, 'agent');
    expect(reuse.email).toBe(oldEmail);
  });

  it('will not remove the last identity of a customer', async () => {
    const customer = await services.customers.create(
      account.admin,
      { email: `${unique('only')}@example.com` },
      'agent',
    );
    const error = await rejection(
      services.customers.update(account.admin, customer.id, { email: null }),
    );
    expect(error.status).toBe(422);
  });

  it('deactivates and reactivates; the active list leaves deactivated customers out', async () => {
    const customer = await services.customers.create(
      account.admin,
      buildCustomer({ lastName: unique('Deact') }),
      'agent',
    );
    await services.customers.update(account.admin, customer.id, { status: 'deactivated' });
    const q = customer.lastName ?? '';
    expect(
      (await services.customers.list(account.admin, { q, status: 'active', limit: 25 })).total,
    ).toBe(0);
    expect(
      (await services.customers.list(account.admin, { q, status: 'deactivated', limit: 25 })).total,
    ).toBe(1);
    await services.customers.update(account.admin, customer.id, { status: 'active' });
    const audit = await services.customers.auditTrail(account.admin, customer.id, 25);
    expect(audit.items.map((e) => e.action)).toEqual(['reactivated', 'deactivated', 'created']);
  });

  it('searches name, email and phone: substring, case- and diacritics-insensitive', async () => {
    const tag = unique('zq').replace(/[^a-z0-9]/g, '');
    await services.customers.create(
      account.admin,
      { firstName: 'Åse', lastName: `Bákken${tag}`, phone: '+47 455 66 778' },
      'agent',
    );
    const find = async (q: string) =>
      (await services.customers.list(account.admin, { q, status: 'active', limit: 25 })).items.map(
        (c) => c.lastName,
      );
    expect(await find(`bakken${tag}`)).toEqual([`Bákken${tag}`]);
    expect(await find(`BAKKEN${tag.toUpperCase()}`)).toEqual([`Bákken${tag}`]);
    expect(await find(`kken${tag}`)).toEqual([`Bákken${tag}`]);
    expect(await find('455 66 778')).toContain(`Bákken${tag}`);
    expect(await find(`${tag}nothing`)).toEqual([]);
  });

  it('pages with a cursor that stays stable when customers are added meanwhile', async () => {
    const owner = await createTestAccount(services);
    for (let i = 0; i < 7; i++)
      await services.customers.create(owner.admin, buildCustomer(), 'agent');
    const first = await services.customers.list(owner.admin, { status: 'active', limit: 3 });
    expect(first.total).toBe(7);
    expect(first.items).toHaveLength(3);
    await services.customers.create(owner.admin, buildCustomer(), 'agent');
    const seen = new Set(first.items.map((c) => c.id));
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await services.customers.list(owner.admin, {
        status: 'active',
        limit: 3,
        cursor,
      });
      for (const c of page.items) {
        expect(seen.has(c.id)).toBe(false);
        seen.add(c.id);
      }
      cursor = page.nextCursor;
    }
    expect(seen.size).toBe(7);
  });

  it('refuses a cursor it did not give out', async () => {
    const error = await rejection(
      services.customers.list(account.admin, { status: 'active', limit: 3, cursor: 'garbage' }),
    );
    expect(error.extra.errors).toEqual([
      { field: 'cursor', code: 'invalid_cursor', message: 'not a cursor this API gave out' },
    ]);
  });
});
