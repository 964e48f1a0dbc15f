// The agent's own password and API tokens over real HTTP (issue 16 point 4), on both databases:
// a password change needs the current password and is throttled like login; an API token's last
// use is recorded at most once a minute; "Forgot password" gives the same answer for any address,
// mails a link through a real SMTP conversation (smtp-server), is throttled, and its link
// expires after an hour and works once.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { call, login, type Credential } from './agents-http.testkit.ts';

const HOUR_MS = 60 * 60 * 1000;

describe.each(testDialects())('own password, tokens and forgot password on %s', (dialect) => {
  let server: TestServer;
  let sink: SMTPServer;
  let account: TestAccount;
  let admin: Credential;
  const received: ParsedMail[] = [];

  beforeAll(async () => {
    sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => {
          received.push(mail);
          callback();
        }, callback);
      },
    });
    sink.listen(0, '127.0.0.1');
    await once(sink.server, 'listening');
    const port = (sink.server.address() as AddressInfo).port;
    server = await startTestServer({ dialect, smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true` });
    account = await createTestAccount(server.services);
    admin = { cookie: (await login(server, account.adminEmail, account.password)).cookie };
  }, 60_000);
  afterAll(async () => {
    await server.close();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  });

  async function newAgent(name: string, password = 'the first password') {
    const email = `${unique(name.toLowerCase())}@example.com`;
    const created = await call(server, admin, 'POST', '/api/v1/users', { email, name, password });
    expect(created.status).toBe(201);
    return { email, id: String(created.body.id), password };
  }

  /** Sends the outbox and returns the mails that reached the SMTP sink for this address. */
  async function mailsTo(email: string): Promise<ParsedMail[]> {
    await server.services.worker.drain();
    return received.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === email);
  }

  const linkIn = (mail: ParsedMail | undefined) =>
    /\/set-password#(\S+)/.exec(mail?.text ?? '')?.[1] ?? '';

  it('changes the password only with the current one; other sessions end, this one stays', async () => {
    const agent = await newAgent('Petra');
    const here: Credential = { cookie: (await login(server, agent.email, agent.password)).cookie };
    const elsewhere: Credential = {
      cookie: (await login(server, agent.email, agent.password)).cookie,
    };
    const token = await call(server, here, 'POST', '/api/v1/tokens', { name: 'Script' });

    const wrong = await call(server, here, 'POST', '/api/v1/me/password', {
      currentPassword: 'not my password',
      password: 'a brand new password',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([
      expect.objectContaining({ field: 'currentPassword', code: 'wrong_password' }),
    ]);
    const short = await call(server, here, 'POST', '/api/v1/me/password', {
      currentPassword: agent.password,
      password: 'short',
    });
    expect(short.status).toBe(422);
    expect(short.body.errors).toEqual([
      expect.objectContaining({ field: 'password', code: 'too_short' }),
    ]);
    expect((await login(server, agent.email, 'a brand new password')).status).toBe(401);

    const changed = await call(server, here, 'POST', '/api/v1/me/password', {
      currentPassword: agent.password,
      password: 'a brand new password',
    });
    expect(changed.status).toBe(204);
    expect((await login(server, agent.email, agent.password)).status).toBe(401);
    expect((await login(server, agent.email, 'a brand new password')).status).toBe(200);
    expect((await call(server, here, 'GET', '/api/v1/session')).status).toBe(200);
    expect((await call(server, elsewhere, 'GET', '/api/v1/session')).status).toBe(401);
    const bearer: Credential = { token: String(token.body.token) };
    expect((await call(server, bearer, 'GET', '/api/v1/session')).status).toBe(200);
  });

  it('counts a wrong current password as a failed login: the tenth locks the login too', async () => {
    const agent = await newAgent('Gustav');
    const session: Credential = {
      cookie: (await login(server, agent.email, agent.password)).cookie,
    };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await call(server, session, 'POST', '/api/v1/me/password', {
        currentPassword: `guess ${i}`,
        password: 'a brand new password',
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(422));
    expect(statuses[10]).toBe(429);
    // The same throttle as the login page: the right password waits too.
    expect((await login(server, agent.email, agent.password)).status).toBe(429);
    const right = await call(server, session, 'POST', '/api/v1/me/password', {
      currentPassword: agent.password,
      password: 'a brand new password',
    });
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ code: 'rate_limited' });
  });

  it('records a token’s last use, at most once a minute', async () => {
    const created = await call(server, admin, 'POST', '/api/v1/tokens', { name: 'Nightly sync' });
    const id = String(created.body.id);
    const bearer: Credential = { token: String(created.body.token) };
    const lastUsed = async () => {
      const list = await call(server, admin, 'GET', '/api/v1/tokens');
      const items = list.body.items as { id: string; name: string; lastUsedAt: string | null }[];
      return items.find((t) => t.id === id);
    };
    expect(await lastUsed()).toMatchObject({ name: 'Nightly sync', lastUsedAt: null });

    const before = Date.now();
    expect((await call(server, bearer, 'GET', '/api/v1/customers')).status).toBe(200);
    const first = (await lastUsed())?.lastUsedAt;
    expect(Date.parse(first ?? '')).toBeGreaterThanOrEqual(before - 1000);

    const setLastUse = (at: Date) =>
      server.services.db.kysely
        .updateTable('api_tokens')
        .set({ last_used_at: at.toISOString() })
        .where('account_id', '=', account.accountId)
        .where('id', '=', id)
        .execute();
    // Within the minute a use writes nothing (the principal cache is cleared, so it is looked up).
    const recent = new Date(Date.now() - 30_000);
    await setLastUse(recent);
    server.services.agents.forgetAccount(account.accountId);
    await call(server, bearer, 'GET', '/api/v1/customers');
    expect((await lastUsed())?.lastUsedAt).toBe(recent.toISOString());
    // After it, the next use is recorded.
    await setLastUse(new Date(Date.now() - 2 * 60_000));
    server.services.agents.forgetAccount(account.accountId);
    await call(server, bearer, 'GET', '/api/v1/customers');
    expect(Date.parse((await lastUsed())?.lastUsedAt ?? '')).toBeGreaterThan(Date.now() - 10_000);

    expect((await call(server, admin, 'DELETE', `/api/v1/tokens/${id}`)).status).toBe(204);
    expect((await call(server, bearer, 'GET', '/api/v1/customers')).status).toBe(401);
    expect(await lastUsed()).toBeUndefined();
  });

  it('answers "forgot password" alike for any address; only an active agent gets mail', async () => {
    const agent = await newAgent('Frida');
    const gone = await newAgent('Dora');
    await call(server, admin, 'POST', `/api/v1/users/${gone.id}/deactivate`);
    const answers = [];
    for (const email of [agent.email, 'nobody@example.com', gone.email, 'not an address']) {
      const r = await call(server, undefined, 'POST', '/api/v1/password-reset', { email });
      answers.push([r.status, r.body]);
    }
    expect(answers).toEqual(Array(4).fill([202, {}]));
    const mails = await mailsTo(agent.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toMatch(/^Set a new Kunde password for /);
    expect(mails[0]?.text).toContain('Someone (we hope you) asked');
    expect(linkIn(mails[0])).not.toBe('');
    expect(await mailsTo(gone.email)).toHaveLength(0);
    expect(await mailsTo('nobody@example.com')).toHaveLength(0);
  });

  it('the link works once, sets the password, and ends the agent’s sessions', async () => {
    const agent = await newAgent('Olga');
    const session: Credential = {
      cookie: (await login(server, agent.email, agent.password)).cookie,
    };
    await call(server, undefined, 'POST', '/api/v1/password-reset', { email: agent.email });
    const token = linkIn((await mailsTo(agent.email))[0]);
    const info = await call(server, undefined, 'GET', `/api/v1/password-links/${token}`);
    expect(info.body).toMatchObject({ email: agent.email, purpose: 'reset' });
    expect(Date.parse(String(info.body.expiresAt)) - Date.now()).toBeLessThanOrEqual(HOUR_MS);

    const set = await call(server, undefined, 'POST', `/api/v1/password-links/${token}`, {
      password: 'remembered at last',
    });
    expect(set.status).toBe(200);
    const again = await call(server, undefined, 'POST', `/api/v1/password-links/${token}`, {
      password: 'someone else again',
    });
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({ code: 'password_link_used' });
    expect((await login(server, agent.email, 'remembered at last')).status).toBe(200);
    expect((await login(server, agent.email, 'someone else again')).status).toBe(401);
    expect((await call(server, session, 'GET', '/api/v1/session')).status).toBe(401);
  });

  it('the link expires after an hour', async () => {
    const agent = await newAgent('Eskil');
    await call(server, undefined, 'POST', '/api/v1/password-reset', { email: agent.email });
    const token = linkIn((await mailsTo(agent.email))[0]);
    server.services.passwordLinks.clock = () => Date.now() + HOUR_MS + 60_000;
    try {
      const late = await call(server, undefined, 'POST', `/api/v1/password-links/${token}`, {
        password: 'too late for this',
      });
      expect(late.status).toBe(410);
      expect(late.body).toMatchObject({ code: 'password_link_expired' });
    } finally {
      server.services.passwordLinks.clock = Date.now;
    }
    expect((await login(server, agent.email, agent.password)).status).toBe(200);
  });

  it('throttles: three mails per address per 15 minutes (silently), then 429 per client IP', async () => {
    const agent = await newAgent('Tora');
    for (let i = 0; i < 5; i++) {
      const r = await call(server, undefined, 'POST', '/api/v1/password-reset', {
        email: agent.email,
      });
      expect([r.status, r.body]).toEqual([202, {}]);
    }
    expect(await mailsTo(agent.email)).toHaveLength(3);

    let status = 202;
    let tries = 0;
    while (status === 202 && tries < 60) {
      tries += 1;
      status = (
        await call(server, undefined, 'POST', '/api/v1/password-reset', {
          email: `${unique('stranger')}@example.com`,
        })
      ).status;
    }
    expect(status).toBe(429);
    expect(tries).toBeLessThanOrEqual(50);
    // A new window lets the address ask again.
    server.services.ownPassword.clock = () => Date.now() + 16 * 60_000;
    try {
      const later = await call(server, undefined, 'POST', '/api/v1/password-reset', {
        email: agent.email,
      });
      expect(later.status).toBe(202);
      expect(await mailsTo(agent.email)).toHaveLength(4);
    } finally {
      server.services.ownPassword.clock = Date.now;
    }
  });

  it('says whether each webhook secret exists and since when, never the secret', async () => {
    const before = await call(server, admin, 'GET', '/api/v1/settings/webhook-secrets');
    expect(before).toEqual({ status: 200, body: { smsWebhook: null, emailWebhook: null } });
    const made = await call(server, admin, 'POST', '/api/v1/settings/sms-webhook-secret');
    expect(made.status).toBe(201);
    const after = await call(server, admin, 'GET', '/api/v1/settings/webhook-secrets');
    expect(after.body.emailWebhook).toBeNull();
    expect(
      Date.parse(String((after.body.smsWebhook as { createdAt: string }).createdAt)),
    ).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(after.body)).not.toContain(String(made.body.secret).split('.')[1]);
  });
});
