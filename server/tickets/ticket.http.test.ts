// Tickets, routing rules, the outbox and the inbound webhooks over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { releaseHeldMail } from '../mail/outbox.ts';

describe.each(testDialects())('tickets over HTTP on %s', (dialect) => {
  let server: TestServer;
  let token: string;
  let adminId: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const account = await createTestAccount(server.services);
    adminId = account.admin.userId ?? '';
    token = (await server.services.agents.createToken(account.accountId, adminId, 't')).token;
  });
  afterAll(() => server.close());

  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  }

  it('creates a ticket for a requester found or created by email, replies, and holds the mail without SMTP_URL', async () => {
    const email = `${unique('req')}@gmail.com`;
    const created = await call('POST', '/api/v1/tickets', {
      subject: 'Cannot log in',
      message: 'It says no',
      requester: { email, name: 'Hansen, Kari' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      subject: 'Cannot log in',
      status: 'open',
      channel: 'api',
      requesterName: 'Kari Hansen',
    });
    const again = await call('POST', '/api/v1/tickets', {
      subject: 'Second',
      message: 'x',
      requester: { email: email.toUpperCase() },
    });
    expect(again.body.requesterId).toBe(created.body.requesterId);
    const id = created.body.id as string;
    const reply = await call('POST', `/api/v1/tickets/${id}/messages`, {
      text: 'Try again now',
      status: 'pending',
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ status: 'pending', messageCount: 2 });
    const outbox = await call('GET', '/api/v1/outbox');
    expect(outbox.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          to: email,
          status: 'held',
          subject: expect.stringMatching(/^Re: Cannot log in \[#\d+\]$/) as string,
        }),
      ]),
    );
    expect(await releaseHeldMail(server.services.db.kysely)).toBeGreaterThan(0);
    const released = await call('GET', '/api/v1/outbox');
    expect((released.body.items as { status: string }[]).every((m) => m.status === 'queued')).toBe(
      true,
    );
    expect((await call('GET', '/api/v1/agents')).body.items).toEqual([
      { id: adminId, name: 'Ada Admin' },
    ]);
    const list = await call(
      'GET',
      `/api/v1/customers/${created.body.requesterId as string}/tickets`,
    );
    expect(list.body.total).toBe(2);
    const patched = await call('PATCH', `/api/v1/tickets/${id}`, {
      status: 'resolved',
      assigneeId: adminId,
    });
    expect(patched.body).toMatchObject({ status: 'resolved', assigneeId: adminId });
    expect(
      (
        await call('PATCH', `/api/v1/tickets/${id}`, {
          assigneeId: '01a20fe0-4b98-7366-b276-ebcf97e684f7',
        })
      ).body.errors,
    ).toEqual([{ field: 'assigneeId', code: 'unknown_reference', message: 'no such agent' }]);
    expect((await call('GET', '/api/v1/tickets?status=unresolved')).body.items).not.toContainEqual(
      expect.objectContaining({ id }),
    );
  });

  it('routes by organization rule, and takes raw mail on the inbound webhook', async () => {
    const organization = await call('POST', '/api/v1/organizations', {
      name: unique('Acme '),
      domains: [`${unique('acme').replace(/[^a-z0-9]/g, '')}.no`],
    });
    const domain = (organization.body.domains as string[])[0] ?? '';
    const team = await call('POST', '/api/v1/teams', {
      name: unique('Support '),
      memberIds: [adminId],
    });
    const rule = await call(
      'POST',
      `/api/v1/organizations/${organization.body.id as string}/rules`,
      { assigneeId: adminId, teamId: team.body.id },
    );
    expect(rule.status).toBe(201);
    expect(
      (await call('GET', `/api/v1/organizations/${organization.body.id as string}/rules`)).body
        .total,
    ).toBe(1);
    const raw = [
      `From: "Ola Nordmann" <ola@${domain}>`,
      'To: support@example.com',
      'Subject: Routed',
      'Message-ID: <routed-1@example.com>',
      '',
      'Hello',
    ].join('\r\n');
    const inbound = await call('POST', '/api/v1/inbound/email', raw, {
      'content-type': 'message/rfc822',
    });
    expect(inbound.status).toBe(202);
    const ticket = await call('GET', `/api/v1/tickets/${inbound.body.ticketId as string}`);
    expect(ticket.body).toMatchObject({
      subject: 'Routed',
      assigneeId: adminId,
      teamId: team.body.id,
      channel: 'email',
      requesterName: 'Ola Nordmann',
    });
    const duplicate = await call('POST', '/api/v1/inbound/email', raw, {
      'content-type': 'message/rfc822',
    });
    expect(duplicate.body.ticketId).toBe(inbound.body.ticketId);
    expect(
      (await call('GET', `/api/v1/tickets/${inbound.body.ticketId as string}`)).body.messageCount,
    ).toBe(1);
    expect(
      (
        await call(
          'DELETE',
          `/api/v1/organizations/${organization.body.id as string}/rules/${rule.body.id as string}`,
        )
      ).status,
    ).toBe(204);
  });

  it('takes SMS only with the account webhook secret', async () => {
    const { secret } = (await call('POST', '/api/v1/settings/sms-webhook-secret')).body as {
      secret: string;
    };
    const sms = async (auth: string, from: string) =>
      fetch(`${server.url}/api/v1/inbound/sms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from, body: 'Hei, pakken min?' }),
      });
    const accepted = await sms(secret, '+47 415 00 999');
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toMatchObject({ ticketCreated: true, customerCreated: true });
    const second = await sms(secret, '41500999');
    expect(await second.json()).toMatchObject({ ticketCreated: false, customerCreated: false });
    expect((await sms(token, '41500999')).status).toBe(401);
    expect((await sms(secret, 'not a number')).status).toBe(422);
  });
});
