// Duplicate suggestions over real HTTP on both databases (issue 15): each reason as customers
// are created and edited through the API, imported from a real CSV file and created by SMS
// intake; a dismissed pair stays dismissed; a scoped agent sees only pairs of two customers in
// scope; a customer merged away or erased takes its pairs with it; never a pair of one customer
// with itself; the count agrees with the list.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuplicateSuggestion } from '../../common/merge.ts';
import type { Dialect } from '../db/connect.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { createScopedAgent } from '../test/scope-fixtures.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { forgetCustomerSuggestions } from './duplicate-upkeep.ts';

type Json = Record<string, unknown>;
type Page = { items: DuplicateSuggestion[]; total: number; nextCursor?: string };

// And once more on a PostgreSQL database collated by ICU's en-US rules, as many production
// clusters are: the subaddress range (`ola+` … `ola,`) found nothing there until identities
// compared bytewise (migration 20261207T0100_identity_bytewise).
type Variant = { name: string; dialect: Dialect; collation?: 'icu' };
const variants = testDialects().flatMap((dialect): Variant[] =>
  dialect === 'postgres'
    ? [
        { name: 'postgres', dialect, collation: undefined },
        { name: 'postgres collated en-US (ICU)', dialect, collation: 'icu' },
      ]
    : [{ name: dialect, dialect, collation: undefined }],
);

describe.each(variants)('duplicate suggestions over HTTP on $name', ({ dialect, collation }) => {
  let server: TestServer;
  let accountId: string;
  let token: string;
  let smsSecret: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect, collation });
    const account = await createTestAccount(server.services);
    accountId = account.accountId;
    token = (await server.services.agents.createToken(accountId, account.admin.userId ?? '', 't'))
      .token;
    smsSecret = await server.services.smsIntake.rotateSecret(accountId);
  });
  afterAll(async () => {
    await server.services.worker.stop();
    await server.close();
  });

  async function call(method: string, url: string, body?: unknown, bearer = token) {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  }
  async function customer(body: Json): Promise<string> {
    const made = await call('POST', '/api/v1/customers', body);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body.id as string;
  }
  async function organization(): Promise<string> {
    const made = await call('POST', '/api/v1/organizations', { name: unique('Dup org ') });
    expect(made.status).toBe(201);
    return made.body.id as string;
  }
  async function suggestionsOf(customerId: string, bearer = token): Promise<DuplicateSuggestion[]> {
    const page = await call(
      'GET',
      `/api/v1/duplicate-suggestions?customerId=${customerId}`,
      undefined,
      bearer,
    );
    expect(page.status).toBe(200);
    return (page.body as unknown as Page).items;
  }
  const pairOf = (s: DuplicateSuggestion) => s.customers.map((c) => c.id).sort();
  const sorted = (...ids: string[]) => [...ids].sort();

  it('suggests ola+support@ and ola@ of the same domain, and not another domain', async () => {
    const domain = `${unique('d')}.example`.toLowerCase();
    const plain = await customer({ email: `ola@${domain}` });
    const tagged = await customer({ email: `Ola+Support@${domain}`, firstName: 'Ola' });
    await customer({ email: `ola+support@other-${domain}` });
    const found = await suggestionsOf(tagged);
    expect(found.map(pairOf)).toEqual([sorted(plain, tagged)]);
    const [suggestion] = found;
    expect(suggestion!.reasons).toHaveLength(1);
    const reason = suggestion!.reasons[0]!;
    expect(reason.code).toBe('email_subaddress');
    // first… is the pair's first customer, as the list shows them.
    const emails = suggestion!.customers.map((c) => c.email);
    expect([reason.detail.firstEmail, reason.detail.secondEmail]).toEqual(emails);
    expect(new Set(emails)).toEqual(new Set([`ola@${domain}`, `ola+support@${domain}`]));
    // Two tags of one address are one person too.
    const other = await customer({ email: `ola+billing@${domain}` });
    expect((await suggestionsOf(other)).map(pairOf)).toEqual(
      expect.arrayContaining([sorted(plain, other), sorted(tagged, other)]),
    );
  });

  it('suggests the same name in the same organization, folded, and not across organizations', async () => {
    const [org, elsewhere] = [await organization(), await organization()];
    const first = await customer({
      email: `${unique('ase')}@name.example`,
      firstName: 'Åse',
      lastName: 'Bakken',
      organizationId: org,
    });
    await customer({
      email: `${unique('ase')}@name.example`,
      firstName: 'Åse',
      lastName: 'Bakken',
      organizationId: elsewhere,
    });
    // Moving into the organization and renaming are both changes upkeep sees.
    const second = await customer({
      email: `${unique('ase')}@name.example`,
      firstName: 'ase',
      lastName: 'Bakke',
    });
    expect(await suggestionsOf(second)).toEqual([]);
    expect(
      (await call('PATCH', `/api/v1/customers/${second}`, { organizationId: org })).status,
    ).toBe(200);
    expect(await suggestionsOf(second)).toEqual([]);
    expect(
      (await call('PATCH', `/api/v1/customers/${second}`, { lastName: 'BAKKEN' })).status,
    ).toBe(200);
    const found = await suggestionsOf(second);
    expect(found.map(pairOf)).toEqual([sorted(first, second)]);
    expect(found[0]!.reasons).toEqual([
      { code: 'same_name_same_organization', detail: { name: 'ase BAKKEN' } },
    ]);
  });

  it('suggests a phone in a custom attribute and the same number written two ways', async () => {
    const holder = await customer({ phone: '+47 911 11 111', firstName: 'Sms' });
    const mentioner = await customer({
      email: `${unique('mention')}@phone.example`,
      customAttributes: { mobil: 'ring 911 11 111 etter kl 12' },
    });
    const found = await suggestionsOf(holder);
    expect(found.map(pairOf)).toEqual([sorted(holder, mentioner)]);
    const reason = found[0]!.reasons[0]!;
    expect(found[0]!.reasons).toHaveLength(1);
    expect(reason.code).toBe('phone_in_custom_field');
    expect(reason.detail).toMatchObject({
      phone: '+4791111111',
      field: 'mobil',
      written: '911 11 111',
    });
    // holder names the pair's side whose phone it is.
    const holderSide = found[0]!.customers[0].id === holder ? 'first' : 'second';
    expect(reason.detail.holder).toBe(holderSide);

    // Neither has the number as their phone: both wrote it down, differently.
    const a = await customer({
      email: `${unique('a')}@phone.example`,
      customAttributes: { mobil: '922 22 222' },
    });
    const b = await customer({ email: `${unique('b')}@phone.example` });
    expect(await suggestionsOf(b)).toEqual([]);
    expect(
      (
        await call('PATCH', `/api/v1/customers/${b}`, {
          customAttributes: { telefon: '+47 92222222' },
        })
      ).status,
    ).toBe(200);
    const same = await suggestionsOf(b);
    expect(same.map(pairOf)).toEqual([sorted(a, b)]);
    expect(same[0]!.reasons).toHaveLength(1);
    expect(same[0]!.reasons[0]!.code).toBe('same_phone');
    expect(same[0]!.reasons[0]!.detail.phone).toBe('+4792222222');
  });

  it('never pairs a customer with itself', async () => {
    const domain = `${unique('self')}.example`.toLowerCase();
    const self = await customer({
      email: `kari+x@${domain}`,
      phone: '+47 933 33 333',
      firstName: 'Kari',
      lastName: 'Self',
      organizationId: await organization(),
      customAttributes: { mobil: '933 33 333', privat: 'kari@' + domain },
    });
    await call('PATCH', `/api/v1/customers/${self}`, { lastName: 'Selv' });
    expect(await suggestionsOf(self)).toEqual([]);
    const rows = await server.services.db.kysely
      .selectFrom('duplicate_suggestions')
      .select('id')
      .where('account_id', '=', accountId)
      .where((eb) => eb('customer_a', '=', eb.ref('customer_b')))
      .execute();
    expect(rows).toEqual([]);
  });

  it('keeps a dismissed pair dismissed after further changes, and counts what it lists', async () => {
    const domain = `${unique('dis')}.example`.toLowerCase();
    const org = await organization();
    const a = await customer({ email: `per@${domain}`, organizationId: org });
    const b = await customer({ email: `per+x@${domain}`, organizationId: org });
    const [suggestion] = await suggestionsOf(a);
    expect(suggestion).toBeDefined();
    const before = await call('GET', '/api/v1/duplicate-suggestions/count');
    const list = await call('GET', '/api/v1/duplicate-suggestions?limit=200');
    expect(before.body.count).toBe((list.body as unknown as Page).total);
    expect(before.body.count).toBe((list.body as unknown as Page).items.length);

    const dismissed = await call('POST', `/api/v1/duplicate-suggestions/${suggestion!.id}/dismiss`);
    expect(dismissed.status).toBe(200);
    expect(
      (await call('POST', `/api/v1/duplicate-suggestions/${suggestion!.id}/dismiss`)).status,
    ).toBe(200);
    expect((await call('GET', '/api/v1/duplicate-suggestions/count')).body.count).toBe(
      Number(before.body.count) - 1,
    );
    // A further reason for the same pair (the same name now) does not bring it back.
    await call('PATCH', `/api/v1/customers/${a}`, { firstName: 'Per', lastName: 'Dal' });
    await call('PATCH', `/api/v1/customers/${b}`, { firstName: 'Per', lastName: 'Dal' });
    expect(await suggestionsOf(a)).toEqual([]);
    const row = await server.services.db.kysely
      .selectFrom('duplicate_suggestions')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', suggestion!.id)
      .executeTakeFirstOrThrow();
    expect(row.dismissed_at).not.toBeNull();
    expect(JSON.parse(row.reasons)).toHaveLength(1);
    const after = await call('GET', '/api/v1/duplicate-suggestions?limit=200');
    expect((after.body as unknown as Page).items.map((s) => s.id)).not.toContain(suggestion!.id);
    expect((await call('GET', '/api/v1/duplicate-suggestions/count')).body.count).toBe(
      (after.body as unknown as Page).total,
    );
  });

  it('pages newest first by keyset', async () => {
    const domain = `${unique('page')}.example`.toLowerCase();
    const root = await customer({ email: `eva@${domain}` });
    const tagged: string[] = [];
    for (const tag of ['a', 'b', 'c'])
      tagged.push(await customer({ email: `eva+${tag}@${domain}` }));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(
        'GET',
        `/api/v1/duplicate-suggestions?customerId=${root}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const body = page.body as unknown as Page;
      expect(body.total).toBe(3);
      seen.push(...body.items.map((s) => s.customers.map((c) => c.id).find((id) => id !== root)!));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...tagged].reverse());
    expect((await call('GET', '/api/v1/duplicate-suggestions?cursor=nonsense')).status).toBe(422);
  });

  it('shows a scoped agent only pairs of two customers in scope', async () => {
    const [inside, outside] = [await organization(), await organization()];
    const agent = await createScopedAgent(server.services, accountId, [inside]);
    const domain = `${unique('scope')}.example`.toLowerCase();
    const a = await customer({ email: `liv@${domain}`, organizationId: inside });
    const b = await customer({ email: `liv+1@${domain}`, organizationId: inside });
    const c = await customer({ email: `liv+2@${domain}`, organizationId: outside });
    expect((await suggestionsOf(a)).map(pairOf)).toHaveLength(2);
    const seen = await suggestionsOf(a, agent.token);
    expect(seen.map(pairOf)).toEqual([sorted(a, b)]);
    expect(await suggestionsOf(c, agent.token)).toEqual([]);
    const hidden = (await suggestionsOf(c)).find((s) => pairOf(s).includes(a))!;
    expect(
      (
        await call(
          'POST',
          `/api/v1/duplicate-suggestions/${hidden.id}/dismiss`,
          undefined,
          agent.token,
        )
      ).status,
    ).toBe(404);
    const counted = await call(
      'GET',
      `/api/v1/duplicate-suggestions/count?customerId=${a}`,
      undefined,
      agent.token,
    );
    expect(counted.body).toEqual({ count: 1 });
  });

  it('forgets the pairs of a customer erased or merged away', async () => {
    const domain = `${unique('gone')}.example`.toLowerCase();
    const keep = await customer({ email: `ida@${domain}` });
    const erased = await customer({ email: `ida+old@${domain}` });
    const merged = await customer({ email: `ida+new@${domain}` });
    expect(await suggestionsOf(keep)).toHaveLength(2);

    expect((await call('DELETE', `/api/v1/customers/${erased}`)).status).toBe(202);
    // From the request on the pair is not listed; the erasure job removes it.
    expect((await suggestionsOf(keep)).map(pairOf)).toEqual([sorted(keep, merged)]);
    await server.services.worker.drain();
    const rowsOf = (id: string) =>
      server.services.db.kysely
        .selectFrom('duplicate_suggestions')
        .select('id')
        .where('account_id', '=', accountId)
        .where((eb) => eb.or([eb('customer_a', '=', id), eb('customer_b', '=', id)]))
        .execute();
    expect(await rowsOf(erased)).toEqual([]);

    // What a merge does to the merged-away customer (server/merge/): its status, then this.
    await server.services.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('customers')
        .set({ status: 'merged', merged_into_id: keep })
        .where('account_id', '=', accountId)
        .where('id', '=', merged)
        .execute();
      await forgetCustomerSuggestions(trx, accountId, merged);
    });
    expect(await suggestionsOf(keep)).toEqual([]);
    expect(await rowsOf(merged)).toEqual([]);
  });

  async function importCsv(file: string) {
    const upload = await fetch(
      `${server.url}/api/v1/customer-imports?start=true&mode=upsert&filename=dup.csv`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body: fs.readFileSync(file),
      },
    );
    expect(upload.status).toBe(201);
    const id = ((await upload.json()) as { import: { id: string } }).import.id;
    await server.services.worker.drain();
    const done = await call('GET', `/api/v1/customer-imports/${id}`);
    expect(done.body).toMatchObject({ status: 'done', created: 8, failed: 0 });
  }

  it('suggests each reason from a real CSV import', async () => {
    const kari = await customer({ email: 'kari.old@fjord-import.example' });
    await importCsv(path.join(import.meta.dirname, 'fixtures', 'duplicates.csv'));
    const byEmail = async (q: string) => {
      const found = await call('GET', `/api/v1/customers?q=${encodeURIComponent(q)}`);
      const items = found.body.items as { id: string }[];
      expect(items).toHaveLength(1);
      return items[0]!.id;
    };
    const codes = async (x: string, y: string) => {
      const found = (await suggestionsOf(x)).filter((s) => pairOf(s).includes(y));
      return found.flatMap((s) => s.reasons.map((r) => r.code));
    };
    const kariTagged = await byEmail('kari+faktura@fjord-import.example');
    expect(await codes(await byEmail('kari@fjord-import.example'), kariTagged)).toEqual([
      'email_subaddress',
    ]);
    expect(await codes(kari, kariTagged)).toEqual([]);
    expect(
      await codes(
        await byEmail('per@fjord-import.example'),
        await byEmail('peder.as@fjord-import.example'),
      ),
    ).toEqual(['same_name_same_organization']);
    expect(
      await codes(await byEmail('41200001'), await byEmail('siv@mail-import.example')),
    ).toEqual(['phone_in_custom_field']);
    expect(
      await codes(
        await byEmail('tor@mail-import.example'),
        await byEmail('tor.b@mail-import.example'),
      ),
    ).toEqual(['same_phone']);
  });

  it('suggests an SMS customer whose number an email customer has in a custom field', async () => {
    const emailCustomer = await customer({
      email: `${unique('kunde')}@intake.example`,
      customAttributes: { mobil: '+47 482 00 111' },
    });
    const sms = await fetch(`${server.url}/api/v1/inbound/sms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${smsSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: '004748200111', body: 'Hei, det er meg' }),
    });
    expect(sms.status).toBe(201);
    const found = await suggestionsOf(emailCustomer);
    expect(found).toHaveLength(1);
    const smsCustomer = found[0]!.customers.find((c) => c.id !== emailCustomer)!;
    expect(smsCustomer).toMatchObject({ phone: '+4748200111', createdVia: 'sms', email: null });
    expect(found[0]!.reasons).toEqual([
      {
        code: 'phone_in_custom_field',
        detail: expect.objectContaining({ phone: '+4748200111', field: 'mobil' }) as unknown,
      },
    ]);
  });
});
