// The inbound email webhook and the administrator's inbound API over real HTTP: who may post raw
// mail (the webhook secret or an administrator, never an agent), NUL bytes posted on both
// databases, and a failed message seen, retried and turned into a ticket through the API.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

const rawMail = (from: string, subject: string, body: string) =>
  [`From: ${from}`, 'To: support@example.com', `Subject: ${subject}`, '', body].join('\r\n');

describe.each(testDialects())('inbound email over HTTP on %s', (dialect) => {
  let server: TestServer;
  let adminToken: string;
  let agentToken: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const account = await createTestAccount(server.services);
    const { agents } = server.services;
    adminToken = (await agents.createToken(account.accountId, account.admin.userId ?? '', 'a'))
      .token;
    const agent = await agents.createUser(account.accountId, {
      email: `${unique('agent')}@example.com`,
      name: 'Agnes Agent',
      password: 'correct horse battery',
    });
    agentToken = (await agents.createToken(account.accountId, agent.id, 'agent')).token;
  });
  afterAll(() => server.close());

  async function call(
    method: string,
    path: string,
    options: {
      headers?: Record<string, string>;
      body?: string | Buffer;
      token?: string | null;
    } = {},
  ) {
    const token = options.token === undefined ? adminToken : options.token;
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
      body: Buffer.isBuffer(options.body) ? new Uint8Array(options.body) : options.body,
    });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { text };
    }
    return { status: response.status, body, contentType: response.headers.get('content-type') };
  }
  const post = (
    raw: string | Buffer,
    headers: Record<string, string> = {},
    token?: string | null,
  ) =>
    call('POST', '/api/v1/inbound/email', {
      headers: { 'content-type': 'message/rfc822', ...headers },
      body: raw,
      token,
    });

  it('takes raw mail only with the webhook secret or from an administrator; an agent gets 403', async () => {
    const forged = rawMail('ceo@bigcustomer.example', 'Refund me', 'Send the money');
    const asAgent = await post(forged, {}, agentToken);
    expect(asAgent.status).toBe(403);
    expect((await post(forged, {}, null)).status).toBe(401);
    expect((await post(forged, { 'x-kunde-webhook-secret': 'kunde.x.y' }, null)).status).toBe(401);
    expect(
      (await call('POST', '/api/v1/settings/email-webhook-secret', { token: agentToken })).status,
    ).toBe(403);

    const secret = (await call('POST', '/api/v1/settings/email-webhook-secret')).body
      .secret as string;
    const viaSecret = await post(
      rawMail('Ola <ola.webhook@example.org>', 'Via provider', 'Hello'),
      { 'x-kunde-webhook-secret': secret },
      null,
    );
    expect(viaSecret.status).toBe(202);
    expect(viaSecret.body).toMatchObject({ state: 'processed', outcome: 'ticket' });
    const ticket = await call('GET', `/api/v1/tickets/${viaSecret.body.ticketId as string}`);
    expect(ticket.body).toMatchObject({ subject: 'Via provider', requesterName: 'Ola' });
    // The SMS secret is not the email secret, and a secret is not an API token.
    const sms = (await call('POST', '/api/v1/settings/sms-webhook-secret')).body.secret as string;
    expect((await post(forged, { 'x-kunde-webhook-secret': sms }, null)).status).toBe(401);
    expect((await call('GET', '/api/v1/tickets', { token: secret })).status).toBe(401);
    // Posting a new secret retires the old one.
    await call('POST', '/api/v1/settings/email-webhook-secret');
    expect((await post(forged, { 'x-kunde-webhook-secret': secret }, null)).status).toBe(401);

    expect((await post(rawMail('Ada <ada.admin.post@example.org>', 'As admin', 'x'))).status).toBe(
      202,
    );
  });

  it('stores mail with NUL bytes posted raw, with the text cleaned', async () => {
    const raw = Buffer.from(
      'From: =?utf-8?q?Null=00a_Nilsen?= <nulla@example.org>\r\nSubject: =?utf-8?q?a=00b?=\r\n\r\nbody\x00 text\r\n',
      'latin1',
    );
    const posted = await post(raw);
    expect(posted.status).toBe(202);
    const ticket = await call('GET', `/api/v1/tickets/${posted.body.ticketId as string}`);
    expect(ticket.body).toMatchObject({ subject: 'ab', requesterName: 'Nulla Nilsen' });
    expect((ticket.body.messages as { text: string }[])[0]?.text).toBe('body text');
    const raw2 = await call('GET', `/api/v1/inbound/emails/${posted.body.inboundId as string}/raw`);
    expect(raw2.contentType).toMatch(/message\/rfc822/);
  });

  it('shows a failed message to an administrator, retries it and ends with a ticket', async () => {
    const openTicket = vi
      .spyOn(server.services.tickets, 'openTicket')
      .mockRejectedValueOnce(new Error('database went away'));
    const posted = await post(rawMail('Fie <fie.failed@example.org>', 'Fails first', 'x'));
    openTicket.mockRestore();
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ state: 'failed', ticketId: null });
    const id = posted.body.inboundId as string;

    const failed = await call('GET', '/api/v1/inbound/emails?state=failed');
    expect(failed.status).toBe(200);
    expect(failed.body.items).toEqual([
      expect.objectContaining({
        id,
        state: 'failed',
        lastError: 'database went away',
        from: 'Fie <fie.failed@example.org>',
        subject: 'Fails first',
        attempts: 1,
      }),
    ]);
    expect((await call('GET', '/api/v1/inbound/emails', { token: agentToken })).status).toBe(403);
    expect(
      (await call('POST', `/api/v1/inbound/emails/${id}/retry`, { token: agentToken })).status,
    ).toBe(403);

    const retried = await call('POST', `/api/v1/inbound/emails/${id}/retry`);
    expect(retried.status).toBe(202);
    await server.services.worker.drain();
    const done = await call('GET', `/api/v1/inbound/emails/${id}`);
    expect(done.body).toMatchObject({ state: 'processed', attempts: 2, retryAt: null });
    const ticket = await call('GET', `/api/v1/tickets/${done.body.ticketId as string}`);
    expect(ticket.body).toMatchObject({ subject: 'Fails first' });
    const again = await call('POST', `/api/v1/inbound/emails/${id}/retry`);
    expect(again.status).toBe(409);
    expect(
      (await call('GET', '/api/v1/inbound/emails/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
    expect((await call('GET', '/api/v1/inbound/emails?state=lost')).status).toBe(422);
  });
});
