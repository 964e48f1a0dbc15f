// Several email addresses and phone numbers per customer (issue 15) over real HTTP on each
// dialect: created and read back normalized, replaced whole by a PATCH, promoted to primary in
// one PATCH, each unique in the account across primary and additional (409 naming the holder),
// listed twice or equal to the primary refused naming the item, found by search, carried by
// the list page, and recorded in the audit trail from → to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, Customer } from '../../common/customer.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

describe.each(testDialects())('several identities per customer over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
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

  async function create(body: Record<string, unknown>): Promise<Customer> {
    const made = await call('POST', '/api/v1/customers', body);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body as unknown as Customer;
  }

  async function trail(id: string): Promise<AuditEntry[]> {
    const page = await call('GET', `/api/v1/customers/${id}/audit`);
    return [...(page.body.items as AuditEntry[])].reverse();
  }

  it('creates a customer with several, normalized, and reads every one back', async () => {
    const made = await create({
      email: 'Siri@Fjord.no',
      additionalEmails: [' SIRI.PRIVAT@example.com', 'siri@jobb.example'],
      phone: '+47 412 00 001',
      additionalPhones: ['412 00 002', ''],
    });
    expect(made).toMatchObject({
      email: 'siri@fjord.no',
      additionalEmails: ['siri.privat@example.com', 'siri@jobb.example'],
      phone: '+4741200001',
      additionalPhones: ['+4741200002'],
    });
    const read = await call('GET', `/api/v1/customers/${made.id}`);
    expect(read.body).toMatchObject({
      additionalEmails: expect.arrayContaining([
        'siri.privat@example.com',
        'siri@jobb.example',
      ]) as unknown,
      additionalPhones: ['+4741200002'],
    });
    const [created] = await trail(made.id);
    expect(created?.changes.additionalEmails).toEqual({
      from: null,
      to: ['siri.privat@example.com', 'siri@jobb.example'],
    });
    expect(created?.changes.additionalPhones).toEqual({ from: null, to: ['+4741200002'] });
  });

  it('replaces the set with a PATCH, frees what it removed, and audits from → to', async () => {
    const made = await create({
      email: 'per@fjord.no',
      additionalEmails: ['per.old@example.com', 'per.keep@example.com'],
    });
    const patched = await call('PATCH', `/api/v1/customers/${made.id}`, {
      additionalEmails: ['per.keep@example.com', 'per.new@example.com'],
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((patched.body as unknown as Customer).additionalEmails.sort()).toEqual([
      'per.keep@example.com',
      'per.new@example.com',
    ]);
    const updated = (await trail(made.id)).at(-1);
    expect(updated?.action).toBe('updated');
    expect(updated?.changes).toEqual({
      // Stored in the order added (alphabetically among those added together).
      additionalEmails: {
        from: ['per.keep@example.com', 'per.old@example.com'],
        to: ['per.keep@example.com', 'per.new@example.com'],
      },
    });
    // The removed address belongs to no one any more: another customer may take it.
    const other = await create({ email: 'per.old@example.com' });
    expect(other.email).toBe('per.old@example.com');
    // An empty list removes them all; the same list again changes nothing (no new entry).
    const cleared = await call('PATCH', `/api/v1/customers/${made.id}`, { additionalEmails: [] });
    expect((cleared.body as unknown as Customer).additionalEmails).toEqual([]);
    const entries = (await trail(made.id)).length;
    await call('PATCH', `/api/v1/customers/${made.id}`, { additionalEmails: [] });
    expect((await trail(made.id)).length).toBe(entries);
  });

  it('promotes an additional address to primary in one PATCH, the old one kept as additional', async () => {
    const made = await create({
      email: 'liv@fjord.no',
      additionalEmails: ['liv@privat.example'],
      phone: '+4741200011',
      additionalPhones: ['+4741200012'],
    });
    const swapped = await call('PATCH', `/api/v1/customers/${made.id}`, {
      email: 'liv@privat.example',
      additionalEmails: ['liv@fjord.no'],
    });
    expect(swapped.status, JSON.stringify(swapped.body)).toBe(200);
    expect(swapped.body).toMatchObject({
      email: 'liv@privat.example',
      additionalEmails: ['liv@fjord.no'],
    });
    expect((await trail(made.id)).at(-1)?.changes).toMatchObject({
      email: { from: 'liv@fjord.no', to: 'liv@privat.example' },
      additionalEmails: { from: ['liv@privat.example'], to: ['liv@fjord.no'] },
    });
    // Naming only the new primary moves it out of the additional ones; the old primary goes.
    const promoted = await call('PATCH', `/api/v1/customers/${made.id}`, {
      phone: '+47 412 00 012',
    });
    expect(promoted.body).toMatchObject({ phone: '+4741200012', additionalPhones: [] });
    // Removing the primary makes the first additional one the primary.
    const removed = await call('PATCH', `/api/v1/customers/${made.id}`, { email: null });
    expect(removed.body).toMatchObject({ email: 'liv@fjord.no', additionalEmails: [] });
    // Both addresses still lead to this one customer when mail arrives.
    const bySender = await server.services.customers.findOrCreateBySender(
      account.admin,
      { email: 'LIV@fjord.no' },
      'email',
    );
    expect(bySender).toMatchObject({ created: false, customer: { id: made.id } });
  });

  it('answers 409 naming the holder for an address another customer has, primary or not', async () => {
    const holder = await create({
      email: 'eva@fjord.no',
      additionalEmails: ['eva@privat.example'],
      additionalPhones: ['+4741200021'],
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ email: 'EVA@privat.example' }, 'email'],
      [{ email: 'x1@fjord.no', additionalEmails: ['eva@fjord.no'] }, 'additionalEmails.0'],
      [{ phone: '41200021' }, 'phone'],
      [
        { email: 'x2@fjord.no', additionalPhones: ['+4741200029', '+4741200021'] },
        'additionalPhones.1',
      ],
    ];
    for (const [body, field] of cases) {
      const refused = await call('POST', '/api/v1/customers', body);
      expect(refused.status, JSON.stringify(body)).toBe(409);
      // The field as the request named it, even where an additional one becomes the primary.
      expect(refused.body).toMatchObject({
        existingCustomerId: holder.id,
        errors: [{ field, code: 'already_used' }],
      });
    }
    // The same on a PATCH of another customer; nothing of the refused change is kept.
    const other = await create({ email: 'otto@fjord.no' });
    const refused = await call('PATCH', `/api/v1/customers/${other.id}`, {
      firstName: 'Otto',
      additionalEmails: ['otto@privat.example', 'eva@privat.example'],
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      existingCustomerId: holder.id,
      errors: [{ field: 'additionalEmails.1', code: 'already_used' }],
    });
    expect((await call('GET', `/api/v1/customers/${other.id}`)).body).toMatchObject({
      firstName: null,
      additionalEmails: [],
    });
    const free = await create({ email: 'otto@privat.example' });
    expect(free.email).toBe('otto@privat.example');
  });

  it('refuses an address listed twice or equal to the primary, naming the item', async () => {
    const twice = await call('POST', '/api/v1/customers', {
      email: 'ask@fjord.no',
      additionalEmails: ['ask@privat.example', 'ASK@privat.example', 'ask@fjord.no'],
      additionalPhones: ['not a number'],
    });
    expect(twice.status).toBe(422);
    expect(twice.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'additionalPhones.0', code: 'not_a_phone' }),
      ]),
    );
    const sets = await call('POST', '/api/v1/customers', {
      email: 'ask@fjord.no',
      additionalEmails: ['ask@privat.example', 'ASK@privat.example', 'ask@fjord.no'],
    });
    expect(sets.status).toBe(422);
    expect(sets.body.errors).toEqual([
      expect.objectContaining({
        field: 'additionalEmails.1',
        code: 'listed_twice',
        params: { item: 'ask@privat.example' },
      }),
      expect.objectContaining({ field: 'additionalEmails.2', code: 'same_as_primary' }),
    ]);
    const made = await create({ email: 'ask@fjord.no' });
    const patched = await call('PATCH', `/api/v1/customers/${made.id}`, {
      additionalEmails: ['ask@fjord.no'],
    });
    expect(patched.status).toBe(422);
    expect(patched.body.errors).toEqual([
      expect.objectContaining({ field: 'additionalEmails.0', code: 'same_as_primary' }),
    ]);
  });

  it('finds a customer by a secondary address or number, and lists them with every one', async () => {
    const made = await create({
      firstName: 'Brage',
      email: 'brage@fjord.no',
      phone: '+4741200030',
      additionalEmails: ['brage.hobby@sekundaer.example'],
      additionalPhones: ['+4741200031'],
    });
    for (const q of ['hobby@sekundaer', 'sekundaer.example', '41200031', '+47 412 00 031']) {
      const found = await call('GET', `/api/v1/customers?q=${encodeURIComponent(q)}`);
      expect(
        (found.body.items as Customer[]).map((c) => c.id),
        q,
      ).toEqual([made.id]);
      expect(found.body.items).toEqual([
        expect.objectContaining({
          additionalEmails: ['brage.hobby@sekundaer.example'],
          additionalPhones: ['+4741200031'],
        }),
      ]);
    }
    // Promoted, the address is still found; removed, it is not.
    await call('PATCH', `/api/v1/customers/${made.id}`, {
      email: 'brage.hobby@sekundaer.example',
      additionalEmails: [],
      additionalPhones: [],
    });
    const byOld = await call('GET', `/api/v1/customers?q=${encodeURIComponent('brage@fjord')}`);
    expect(byOld.body.items).toEqual([]);
    const byPhone = await call('GET', '/api/v1/customers?q=41200031');
    expect(byPhone.body.items).toEqual([]);
    const byNew = await call('GET', `/api/v1/customers?q=${encodeURIComponent('hobby@sekund')}`);
    expect((byNew.body.items as Customer[]).map((c) => c.id)).toEqual([made.id]);
  });
});
