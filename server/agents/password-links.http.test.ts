// Invitations and password resets over real HTTP (issue 13 item 1): an agent created without a
// password is "invited", gets a set-password email through the outbox, and logs in once they
// set it; the link works once and expires; a reset keeps the old password until the new one is
// set, and setting it ends the agent's sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { call, login, passwordMail, type Credential } from './agents-http.testkit.ts';

const HOUR_MS = 60 * 60 * 1000;

describe.each(testDialects())('set-password links over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let admin: Credential;
  let offset = 0;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    admin = { cookie: (await login(server, account.adminEmail, account.password)).cookie };
    server.services.passwordLinks.clock = () => Date.now() + offset;
  }, 60_000);
  afterAll(() => server.close());

  it('invites an agent: outbox mail, the link shows who it is for, the password is set once, login works', async () => {
    const email = `${unique('nina')}@example.com`;
    const invited = await call(server, admin, 'POST', '/api/v1/users', {
      email,
      name: 'Nina Ny',
      locale: 'nb',
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ status: 'invited', email, roleName: 'Agent' });
    const { mail, token } = await passwordMail(server, account.accountId, email);
    expect(mail).toMatchObject({ status: 'held' });
    expect(mail?.subject).toMatch(/^Du er invitert til Kunde for /);
    expect(mail?.body_text).toContain('Hei Nina Ny');
    expect(token).not.toBe('');
    // Only the hash is stored.
    const stored = await server.services.db.kysely
      .selectFrom('password_tokens')
      .select('token_hash')
      .where('account_id', '=', account.accountId)
      .execute();
    expect(stored.map((r) => r.token_hash).join()).not.toContain(token.split('.')[1]);

    expect((await login(server, email, 'a new password for nina')).status).toBe(401);
    const info = await call(server, undefined, 'GET', `/api/v1/password-links/${token}`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ email, name: 'Nina Ny', purpose: 'invite' });

    const short = await call(server, undefined, 'POST', `/api/v1/password-links/${token}`, {
      password: 'short',
    });
    expect(short.status).toBe(422);
    expect(short.body).toMatchObject({ errors: [expect.objectContaining({ field: 'password' })] });

    const set = await call(server, undefined, 'POST', `/api/v1/password-links/${token}`, {
      password: 'a new password for nina',
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ email });
    expect((await login(server, email, 'a new password for nina')).status).toBe(200);
    expect(
      (await call(server, admin, 'GET', `/api/v1/users/${String(invited.body.id)}`)).body,
    ).toMatchObject({ status: 'active' });

    // Single use: the same link again is refused, and the password stays the one set.
    for (const method of ['GET', 'POST']) {
      const again = await call(server, undefined, method, `/api/v1/password-links/${token}`, {
        password: 'someone else tries this',
      });
      expect(again.status).toBe(410);
      expect(again.body).toMatchObject({ code: 'password_link_used' });
    }
    expect((await login(server, email, 'someone else tries this')).status).toBe(401);
  });

  it('refuses an unknown or malformed link with 404 and a code', async () => {
    for (const token of ['nonsense', `${account.accountId}.not-a-real-secret`]) {
      const r = await call(server, undefined, 'GET', `/api/v1/password-links/${token}`);
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ code: 'password_link_not_found' });
    }
  });

  it('resets a password: the link expires after 24 hours, a new one works and ends old sessions', async () => {
    const email = `${unique('rolf')}@example.com`;
    const created = await call(server, admin, 'POST', '/api/v1/users', {
      email,
      name: 'Rolf Reset',
      password: 'the old password',
    });
    const id = String(created.body.id);
    const oldSession: Credential = {
      cookie: (await login(server, email, 'the old password')).cookie,
    };

    expect((await call(server, admin, 'POST', `/api/v1/users/${id}/reset-password`)).status).toBe(
      204,
    );
    const first = await passwordMail(server, account.accountId, email);
    expect(first.mail?.subject).toMatch(/^Set a new Kunde password for /);
    // The old password works until a new one is set.
    expect((await login(server, email, 'the old password')).status).toBe(200);

    offset += 24 * HOUR_MS + 60_000;
    const expired = await call(server, undefined, 'POST', `/api/v1/password-links/${first.token}`, {
      password: 'too late for this',
    });
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ code: 'password_link_expired' });
    expect(
      (await call(server, undefined, 'GET', `/api/v1/password-links/${first.token}`)).status,
    ).toBe(410);

    await call(server, admin, 'POST', `/api/v1/users/${id}/reset-password`);
    const second = await passwordMail(server, account.accountId, email);
    expect(second.count).toBe(2);
    const set = await call(server, undefined, 'POST', `/api/v1/password-links/${second.token}`, {
      password: 'the new password',
    });
    expect(set.status).toBe(200);
    expect((await call(server, oldSession, 'GET', '/api/v1/session')).status).toBe(401);
    expect((await login(server, email, 'the old password')).status).toBe(401);
    expect((await login(server, email, 'the new password')).status).toBe(200);
  });

  it('a newer link replaces an unused one, and deactivation ends the agent’s links', async () => {
    const email = `${unique('per')}@example.com`;
    const created = await call(server, admin, 'POST', '/api/v1/users', { email, name: 'Per' });
    const id = String(created.body.id);
    const first = await passwordMail(server, account.accountId, email);
    await call(server, admin, 'POST', `/api/v1/users/${id}/reset-password`);
    const second = await passwordMail(server, account.accountId, email);
    expect(second.mail?.subject).toMatch(/^You are invited/);
    expect(
      (await call(server, undefined, 'GET', `/api/v1/password-links/${first.token}`)).status,
    ).toBe(404);
    await call(server, admin, 'POST', `/api/v1/users/${id}/deactivate`);
    expect(
      (await call(server, undefined, 'GET', `/api/v1/password-links/${second.token}`)).status,
    ).toBe(404);
    const refused = await call(server, admin, 'POST', `/api/v1/users/${id}/reset-password`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'user_deactivated' });
  });
});
