// The Customer Hub's sign-in over real HTTP on both databases (issue 14 items 2, 3 and 5): the
// Hub found by its address, password sign-in, a one-time link by email, a password reset,
// self-registration (closed, limited to domains, confirmed into a customer or claimed by an
// existing one), access off after a correct credential only, an agent's invitation, the
// customer's own profile (extra fields refused) and password. Mail is read from the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../agents/agents-http.testkit.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { enableHub, hubCall, hubCustomer, hubMail, signIn } from './hub-http.testkit.ts';

const PASSWORD = 'a long hub password';

describe.each(testDialects())('Customer Hub sign-in over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let slug: string;
  let agentCookie: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    slug = unique('hub')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    await enableHub(server, account.accountId, slug, {
      supportContact: {
        message: { en: 'Call the support desk', nb: 'Ring brukerstøtte' },
        email: 'support@hub.example',
        phone: '+47 22 00 00 00',
      },
    });
    agentCookie = (await login(server, account.adminEmail, account.password)).cookie;
  }, 60_000);
  afterAll(() => server.close());

  const email = () => `${unique('hanne')}@hub.example`;

  it('finds the Hub by its address, 404 hub_not_found for an unknown one', async () => {
    const site = await hubCall(server, 'GET', `/api/hub/v1/sites/${slug}`);
    expect(site.status).toBe(200);
    expect(site.body).toMatchObject({
      slug,
      passwordSignIn: true,
      linkSignIn: true,
      selfRegistration: false,
      // The Hub writes the support phone and phone-only names in this country's format.
      phoneCountry: 'NO',
    });
    expect(site.body.accountName).toMatch(/^Account /);
    const missing = await hubCall(server, 'GET', '/api/hub/v1/sites/no-such-hub');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'hub_not_found' });
    // Plain /hub: exactly one account has its Hub on here.
    const only = await hubCall(server, 'GET', '/api/hub/v1/site');
    expect(only.status).toBe(200);
    expect(only.body).toMatchObject({ slug });
  });

  it('signs in with the right password: a session cookie that opens /me', async () => {
    const address = email();
    await hubCustomer(server, account.accountId, address, PASSWORD);
    const ok = await signIn(server, slug, address.toUpperCase(), PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'signed_in',
      me: { customer: { email: address, passwordSet: true } },
    });
    expect(ok.headers.get('set-cookie')).toMatch(
      /^kunde_hub=.+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    const me = await hubCall(server, 'GET', '/api/hub/v1/me', undefined, ok.cookie);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      customer: { name: 'Hanne Hub' },
      account: { slug },
      organizations: [],
    });

    const wrong = await signIn(server, slug, address, 'not the password at all');
    const unknown = await signIn(server, slug, `nobody-${address}`, 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'invalid_credentials' });
    expect(unknown.status).toBe(401);
    const strip = (b: Record<string, unknown>) => ({
      ...b,
      correlationId: undefined,
      instance: undefined,
    });
    expect(strip(unknown.body)).toEqual(strip(wrong.body));
    expect(wrong.cookie).toBe('');
  });

  it('answers access_off with the support contact only after a correct password, and starts no session', async () => {
    const address = email();
    const id = await hubCustomer(server, account.accountId, address, PASSWORD);
    await server.services.db.kysely
      .updateTable('customers')
      .set({ hub_access: 0 })
      .where('account_id', '=', account.accountId)
      .where('id', '=', id)
      .execute();
    const wrong = await signIn(server, slug, address, 'a wrong password here');
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain('support');
    const right = await signIn(server, slug, address, PASSWORD);
    expect(right.status).toBe(200);
    expect(right.body).toEqual({
      status: 'access_off',
      accountName: String(right.body.accountName),
      supportContact: {
        message: { en: 'Call the support desk', nb: 'Ring brukerstøtte' },
        email: 'support@hub.example',
        phone: '+47 22 00 00 00',
      },
    });
    expect(right.body.accountName).toMatch(/^Account /);
    expect(right.cookie).toBe('');
  });

  it('mails a one-time sign-in link that works once; an unknown address gets the same 202', async () => {
    const address = email();
    await hubCustomer(server, account.accountId, address);
    const asked = await hubCall(server, 'POST', `/api/hub/v1/sites/${slug}/sign-in-links`, {
      email: address,
    });
    const stranger = await hubCall(server, 'POST', `/api/hub/v1/sites/${slug}/sign-in-links`, {
      email: `x-${address}`,
    });
    expect([asked.status, stranger.status]).toEqual([202, 202]);
    expect(stranger.body).toEqual(asked.body);
    expect((await hubMail(server, account.accountId, `x-${address}`)).count).toBe(0);
    const { mail, page, token } = await hubMail(server, account.accountId, address);
    expect(mail?.subject).toMatch(/^Sign in to .+'s Customer Hub$/);
    expect(page).toBe('link');
    expect(token.split('.')[0]).toBe(account.accountId);
    const stored = await server.services.db.kysely
      .selectFrom('hub_tokens')
      .select('token_hash')
      .where('account_id', '=', account.accountId)
      .execute();
    expect(stored.map((r) => r.token_hash).join()).not.toContain(token.split('.')[1]);

    const redeemed = await hubCall(server, 'POST', '/api/hub/v1/links/redeem', { token });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toMatchObject({
      status: 'signed_in',
      me: { customer: { email: address, passwordSet: false } },
    });
    expect(redeemed.cookie).toMatch(/^kunde_hub=/);
    const again = await hubCall(server, 'POST', '/api/hub/v1/links/redeem', { token });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'invalid_link' });
    const junk = await hubCall(server, 'POST', '/api/hub/v1/links/redeem', {
      token: `${account.accountId}.junk`,
    });
    expect(junk.body).toMatchObject({ code: 'invalid_link' });
  });

  it('an expired link is the same invalid_link; the sixth request in an hour sends nothing', async () => {
    const address = email();
    await hubCustomer(server, account.accountId, address);
    for (let i = 0; i < 6; i++)
      expect(
        (
          await hubCall(server, 'POST', `/api/hub/v1/sites/${slug}/sign-in-links`, {
            email: address,
          })
        ).status,
      ).toBe(202);
    const { count, token } = await hubMail(server, account.accountId, address);
    expect(count).toBe(5);
    server.services.hubLinks.clock = () => Date.now() + 16 * 60_000;
    try {
      const late = await hubCall(server, 'POST', '/api/hub/v1/links/redeem', { token });
      expect(late.status).toBe(400);
      expect(late.body).toMatchObject({ code: 'invalid_link' });
    } finally {
      server.services.hubLinks.clock = Date.now;
    }
  });

  it('a reset link sets the password (length checked first), ends other sessions and signs in', async () => {
    const address = email();
    await hubCustomer(server, account.accountId, address, PASSWORD);
    const old = await signIn(server, slug, address, PASSWORD);
    expect(
      (
        await hubCall(server, 'POST', `/api/hub/v1/sites/${slug}/password-resets`, {
          email: address,
          locale: 'nb',
        })
      ).status,
    ).toBe(202);
    const { mail, page, token } = await hubMail(server, account.accountId, address);
    expect(page).toBe('password');
    expect(mail?.subject).toMatch(/^Velg et nytt passord for kundeportalen til /);
    const none = await hubCall(server, 'POST', '/api/hub/v1/links/redeem', { token });
    expect(none.status).toBe(422);
    expect(none.body).toMatchObject({
      errors: [expect.objectContaining({ field: 'password', code: 'required' })],
    });
    const short = await hubCall(server, 'POST', '/api/hub/v1/links/redeem', {
      token,
      password: 'short',
    });
    expect(short.status).toBe(422);
    const set = await hubCall(server, 'POST', '/api/hub/v1/links/redeem', {
      token,
      password: 'the brand new password',
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ status: 'signed_in' });
    expect((await hubCall(server, 'GET', '/api/hub/v1/me', undefined, old.cookie)).status).toBe(
      401,
    );
    expect((await signIn(server, slug, address, PASSWORD)).status).toBe(401);
    expect((await signIn(server, slug, address, 'the brand new password')).status).toBe(200);
  });

  it('self-registration: closed 403, domains listed 422, confirmed creates a hub customer in its domain organization', async () => {
    const closed = await hubCall(server, 'POST', `/api/hub/v1/sites/${slug}/registrations`, {
      email: email(),
      name: 'Rita Reg',
    });
    expect(closed.status).toBe(403);
    expect(closed.body).toMatchObject({ code: 'registration_closed' });

    const domain = `${unique('acme')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')}.test`;
    const organization = await server.services.organizations.create(account.admin, {
      name: unique('Acme '),
      domains: [domain],
    });
    await enableHub(server, account.accountId, slug, {
      selfRegistration: true,
      registrationDomains: [domain],
    });
    const elsewhere = await hubCall(server, 'POST', `/api/hub/v1/sites/${slug}/registrations`, {
      email: 'rita@elsewhere.example',
      name: 'Rita Reg',
    });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body).toMatchObject({
      errors: [expect.objectContaining({ field: 'email', code: 'domain_not_allowed' })],
    });

    const address = `rita.${unique('r').toLowerCase()}@mail.${domain}`;
    const asked = await hubCall(server, 'POST', `/api/hub/v1/sites/${slug}/registrations`, {
      email: address,
      name: 'Rita Registrert',
    });
    expect(asked.status).toBe(202);
    // Nothing is created before the confirmation.
    const before = await server.services.db.kysely
      .selectFrom('customers')
      .select('id')
      .where('account_id', '=', account.accountId)
      .where('email', '=', address)
      .execute();
    expect(before).toEqual([]);
    const { token } = await hubMail(server, account.accountId, address);
    const confirmed = await hubCall(server, 'POST', '/api/hub/v1/links/redeem', {
      token,
      password: PASSWORD,
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: 'signed_in',
      me: {
        customer: { email: address, firstName: 'Rita', lastName: 'Registrert', passwordSet: true },
      },
    });
    const customers = await server.services.db.kysely
      .selectFrom('customers')
      .select(['id', 'created_via', 'organization_id'])
      .where('account_id', '=', account.accountId)
      .where('email', '=', address)
      .execute();
    expect(customers.map(({ id: _id, ...rest }) => rest)).toEqual([
      { created_via: 'hub', organization_id: organization.id },
    ]);
    expect((await signIn(server, slug, address, PASSWORD)).status).toBe(200);
  });

  it('registering with the email of an existing customer claims that customer, never a duplicate', async () => {
    await enableHub(server, account.accountId, slug, {
      selfRegistration: true,
      registrationDomains: [],
    });
    const address = email();
    const id = await hubCustomer(
      server,
      account.accountId,
      address,
      undefined,
      'Erik Eksisterende',
    );
    expect(
      (
        await hubCall(server, 'POST', `/api/hub/v1/sites/${slug}/registrations`, {
          email: address,
          name: 'Someone Else',
        })
      ).status,
    ).toBe(202);
    const { token } = await hubMail(server, account.accountId, address);
    const claimed = await hubCall(server, 'POST', '/api/hub/v1/links/redeem', {
      token,
      password: PASSWORD,
    });
    expect(claimed.body).toMatchObject({
      status: 'signed_in',
      me: { customer: { id, name: 'Erik Eksisterende' } },
    });
    const rows = await server.services.db.kysely
      .selectFrom('customers')
      .select('id')
      .where('account_id', '=', account.accountId)
      .where('email', '=', address)
      .execute();
    expect(rows).toEqual([{ id }]);
  });

  it('an agent invites a customer: a 72-hour set-password link; 422 without an email', async () => {
    const address = email();
    const id = await hubCustomer(server, account.accountId, address);
    const sent = await hubCall(
      server,
      'POST',
      `/api/v1/customers/${id}/hub/invitation`,
      {},
      agentCookie,
    );
    expect(sent.status).toBe(202);
    const { mail, page, token } = await hubMail(server, account.accountId, address);
    expect(mail?.subject).toMatch(/^You are invited to .+'s Customer Hub$/);
    expect(page).toBe('password');
    server.services.hubLinks.clock = () => Date.now() + 71 * 60 * 60_000;
    try {
      const set = await hubCall(server, 'POST', '/api/hub/v1/links/redeem', {
        token,
        password: PASSWORD,
      });
      expect(set.body).toMatchObject({
        status: 'signed_in',
        me: { customer: { id, passwordSet: true } },
      });
    } finally {
      server.services.hubLinks.clock = Date.now;
    }
    const phoneOnly = await server.services.customers.create(
      account.admin,
      { phone: '+4790000001' },
      'agent',
    );
    const refused = await hubCall(
      server,
      'POST',
      `/api/v1/customers/${phoneOnly.id}/hub/invitation`,
      {},
      agentCookie,
    );
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'customer_without_email' });
    // A Hub cookie is no agent credential.
    const hubCookie = (await signIn(server, slug, address, PASSWORD)).cookie;
    expect(
      (await hubCall(server, 'POST', `/api/v1/customers/${id}/hub/invitation`, {}, hubCookie))
        .status,
    ).toBe(401);
  });

  it('the customer changes their own name and language; access, organization, status and account are refused', async () => {
    const address = email();
    const id = await hubCustomer(server, account.accountId, address, PASSWORD);
    const { cookie } = await signIn(server, slug, address, PASSWORD);
    for (const extra of [
      { hubAccess: true },
      { organizationId: '00000000-0000-4000-8000-000000000000' },
      { status: 'active' },
      { accountId: account.accountId },
      { email: 'other@hub.example' },
    ]) {
      const refused = await hubCall(
        server,
        'PATCH',
        '/api/hub/v1/me',
        { firstName: 'Nope', ...extra },
        cookie,
      );
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        errors: [expect.objectContaining({ code: 'unknown_field' })],
      });
    }
    const changed = await hubCall(
      server,
      'PATCH',
      '/api/hub/v1/me',
      { firstName: 'Henny', locale: 'nb' },
      cookie,
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      customer: { firstName: 'Henny', lastName: 'Hub', locale: 'nb', email: address },
    });
    const audit = await hubCall(
      server,
      'GET',
      `/api/v1/customers/${id}/audit`,
      undefined,
      agentCookie,
    );
    expect(JSON.stringify(audit.body)).toContain('Henny');
    expect(JSON.stringify(audit.body)).toContain('(Customer Hub)');
  });

  it('changes the password: the current one is required and checked; other sessions end', async () => {
    const address = email();
    await hubCustomer(server, account.accountId, address, PASSWORD);
    const here = (await signIn(server, slug, address, PASSWORD)).cookie;
    const there = (await signIn(server, slug, address, PASSWORD)).cookie;
    const missing = await hubCall(
      server,
      'PUT',
      '/api/hub/v1/me/password',
      { password: 'another long password' },
      here,
    );
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({
      errors: [expect.objectContaining({ field: 'currentPassword', code: 'required' })],
    });
    const wrong = await hubCall(
      server,
      'PUT',
      '/api/hub/v1/me/password',
      { currentPassword: 'not it at all', password: 'another long password' },
      here,
    );
    expect(wrong.body).toMatchObject({
      errors: [expect.objectContaining({ field: 'currentPassword', code: 'wrong_password' })],
    });
    const ok = await hubCall(
      server,
      'PUT',
      '/api/hub/v1/me/password',
      { currentPassword: PASSWORD, password: 'another long password' },
      here,
    );
    expect(ok.status).toBe(204);
    expect((await hubCall(server, 'GET', '/api/hub/v1/me', undefined, here)).status).toBe(200);
    expect((await hubCall(server, 'GET', '/api/hub/v1/me', undefined, there)).status).toBe(401);
    expect((await signIn(server, slug, address, 'another long password')).status).toBe(200);
  });
});
