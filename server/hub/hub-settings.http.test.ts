// The account's Customer Hub settings over real HTTP on both databases: defaults, a change and
// its normalization (domains, the contact's email and phone), the address unique across the
// installation, an address picked from the account name, and the two settings routes never
// overwriting each other's part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { slugFromName } from './hub-settings.service.ts';

describe.each(testDialects())('Hub settings over HTTP on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
  });
  afterAll(() => server.close());

  async function newAdmin() {
    const account = await createTestAccount(server.services);
    const { token } = await server.services.agents.createToken(
      account.accountId,
      account.admin.userId ?? '',
      't',
    );
    return { accountId: account.accountId, token };
  }

  async function call(token: string, method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, text };
  }

  it('starts off, with both sign-in methods, no registration and an empty contact', async () => {
    const { token } = await newAdmin();
    const got = await call(token, 'GET', '/api/v1/settings/hub');
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      enabled: false,
      slug: null,
      passwordSignIn: true,
      linkSignIn: true,
      selfRegistration: false,
      registrationDomains: [],
      supportContact: { message: { en: '', nb: '' }, email: null, phone: null },
    });
  });

  it('saves a change, normalizing domains, the contact email and the phone', async () => {
    const { token } = await newAdmin();
    const slug = unique('acme')
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-');
    const changed = await call(token, 'PATCH', '/api/v1/settings/hub', {
      enabled: true,
      slug,
      linkSignIn: false,
      selfRegistration: true,
      registrationDomains: ['@Example.COM', 'example.com', 'bÿggmester.no'],
      supportContact: {
        message: { en: 'Call us', nb: 'Ring oss' },
        email: ' Support@Example.com ',
        phone: '22 12 34 56',
      },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({
      enabled: true,
      slug,
      passwordSignIn: true,
      linkSignIn: false,
      selfRegistration: true,
      registrationDomains: ['example.com', 'xn--bggmester-lbb.no'],
      supportContact: {
        message: { en: 'Call us', nb: 'Ring oss' },
        email: 'support@example.com',
        phone: '+4722123456',
      },
    });
    expect((await call(token, 'GET', '/api/v1/settings/hub')).body).toEqual(changed.body);
  });

  it('refuses a bad contact email, phone, domain and address, naming each field', async () => {
    const { token } = await newAdmin();
    const bad = await call(token, 'PATCH', '/api/v1/settings/hub', {
      registrationDomains: ['not a domain'],
      supportContact: { message: { en: '', nb: '' }, email: 'nobody', phone: 'call me' },
    });
    expect(bad.status).toBe(422);
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual([
      'registrationDomains.0',
      'supportContact.email',
      'supportContact.phone',
    ]);
    const slug = await call(token, 'PATCH', '/api/v1/settings/hub', { slug: 'Not OK!' });
    expect(slug.status).toBe(422);
    expect(JSON.stringify(slug.body.errors)).toContain('"slug"');
    // Nothing of a refused change was kept.
    expect((await call(token, 'GET', '/api/v1/settings/hub')).body.registrationDomains).toEqual([]);
  });

  it('refuses an address another account has with 409 on slug; its own again is fine', async () => {
    const first = await newAdmin();
    const second = await newAdmin();
    const slug = unique('shared')
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-');
    expect((await call(first.token, 'PATCH', '/api/v1/settings/hub', { slug })).status).toBe(200);
    const taken = await call(second.token, 'PATCH', '/api/v1/settings/hub', {
      slug,
      enabled: true,
    });
    expect(taken.status).toBe(409);
    expect(taken.body.errors).toEqual([
      expect.objectContaining({ field: 'slug', code: 'already_used' }),
    ]);
    // The refused request changed nothing, not even `enabled`.
    expect((await call(second.token, 'GET', '/api/v1/settings/hub')).body.enabled).toBe(false);
    expect((await call(first.token, 'PATCH', '/api/v1/settings/hub', { slug })).status).toBe(200);
  });

  it('picks an address from the account name when turned on without one, unique', async () => {
    const first = await newAdmin();
    const second = await newAdmin();
    const name = unique('Ærlig Støtte ');
    for (const { accountId } of [first, second])
      await server.services.db.kysely
        .updateTable('accounts')
        .set({ name })
        .where('account_id', '=', accountId)
        .execute();
    const a = await call(first.token, 'PATCH', '/api/v1/settings/hub', { enabled: true });
    const b = await call(second.token, 'PATCH', '/api/v1/settings/hub', { enabled: true });
    expect(a.body.slug).toBe(slugFromName(name));
    expect(a.body.slug).toMatch(/^aerlig-stotte-/);
    expect(b.body.slug).toBe(`${slugFromName(name)}-2`);
  });

  it('keeps the Hub through PATCH /settings, and the rest through PATCH /settings/hub', async () => {
    const { token } = await newAdmin();
    await call(token, 'PATCH', '/api/v1/settings/hub', {
      enabled: true,
      supportContact: { message: { en: 'Hi', nb: 'Hei' }, email: null, phone: null },
    });
    const settings = await call(token, 'PATCH', '/api/v1/settings', { defaultLocale: 'nb' });
    expect(settings.status, settings.text).toBe(200);
    expect(settings.body.hub).toMatchObject({ enabled: true });
    // The Hub is not changed through /settings, even when a client sends it there.
    const refused = await call(token, 'PATCH', '/api/v1/settings', { hub: { enabled: false } });
    expect(refused.status).toBe(422);
    const hub = await call(token, 'PATCH', '/api/v1/settings/hub', { selfRegistration: true });
    expect(hub.body).toMatchObject({
      enabled: true,
      selfRegistration: true,
      supportContact: { message: { en: 'Hi', nb: 'Hei' } },
    });
    const all = await call(token, 'GET', '/api/v1/settings');
    expect(all.body.defaultLocale).toBe('nb');
    expect(all.body.hub).toMatchObject({ enabled: true, selfRegistration: true });
  });
});
