// Honest delivery over real HTTP (issue 16 point 3): each emailed reply carries its outbox state
// on the ticket (held with its reason, queued, sent, failed with the server's answer,
// discarded); the Outbox releases held mail, retries failed mail and discards mail, each
// recorded with who did it and refused with a 409 where the state does not allow it; a plain
// Send keeps the ticket's status unless the account's replyStatus says otherwise. Sent and
// failed come from a real SMTP conversation (nodemailer → smtp-server) that refuses one
// mailbox with a 550.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEmail } from '../../common/outbox.ts';
import type { TicketMessage, TicketWithMessages } from '../../common/ticket.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { queueEmail } from './outbox.ts';

type Call = (
  method: string,
  path: string,
  body?: unknown,
  as?: string,
) => Promise<{ status: number; body: Record<string, unknown> }>;

function caller(server: TestServer, token: string): Call {
  return async (method, path, body, as = token) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${as}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as never };
  };
}

async function adminOf(server: TestServer) {
  const account = await createTestAccount(server.services);
  const token = (
    await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
  ).token;
  return { account, call: caller(server, token) };
}

async function openTicket(call: Call, email: string): Promise<string> {
  const created = await call('POST', '/api/v1/tickets', {
    subject: 'Faktura mangler',
    message: 'Hei, fakturaen kom aldri.',
    requester: { email, name: 'Ola Nordmann' },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const lastReply = (ticket: Record<string, unknown>) =>
  (ticket as unknown as TicketWithMessages).messages.at(-1) as TicketMessage;

describe.each(testDialects())('delivery states without SMTP_URL on %s', (dialect) => {
  let server: TestServer;
  let call: Call;
  let accountId: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const admin = await adminOf(server);
    call = admin.call;
    accountId = admin.account.accountId;
  });
  afterAll(() => server.close());

  it('shows the reply held and why, keeps the status on Send, sets it when asked or by the setting', async () => {
    const id = await openTicket(call, `${unique('ola')}@firma.no`);
    const reply = await call('POST', `/api/v1/tickets/${id}/messages`, { text: 'Vi ser på det.' });
    expect(reply.status).toBe(201);
    // Plain Send: the ticket stays open (it used to become pending behind the agent's back).
    expect(reply.body.status).toBe('open');
    expect(lastReply(reply.body).delivery).toMatchObject({
      status: 'held',
      holdReason: 'smtp_not_configured',
      attempts: 0,
      lastError: null,
      sentAt: null,
    });
    // The customer's own message and an internal note were never emailed: no delivery.
    const note = await call('POST', `/api/v1/tickets/${id}/messages`, {
      text: 'Ringte også.',
      internal: true,
    });
    const messages = (note.body as unknown as TicketWithMessages).messages;
    expect(messages.map((m) => m.delivery?.status ?? null)).toEqual([null, 'held', null]);

    const chosen = await call('POST', `/api/v1/tickets/${id}/messages`, {
      text: 'Venter på svar fra deg.',
      status: 'pending',
    });
    expect(chosen.body.status).toBe('pending');

    expect((await call('GET', '/api/v1/settings')).body.replyStatus).toBe('keep');
    const refused = await call('PATCH', '/api/v1/settings', { replyStatus: 'later' });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body.errors)).toContain('replyStatus');
    expect((await call('GET', '/api/v1/settings')).body.replyStatus).toBe('keep');
    const set = await call('PATCH', '/api/v1/settings', { replyStatus: 'pending' });
    expect(set.status).toBe(200);
    expect(set.body.replyStatus).toBe('pending');
    const other = await openTicket(call, `${unique('kari')}@firma.no`);
    const byDefault = await call('POST', `/api/v1/tickets/${other}/messages`, { text: 'Takk!' });
    expect(byDefault.body.status).toBe('pending');
    await call('PATCH', '/api/v1/settings', { replyStatus: 'keep' });
  });

  it('cannot release without SMTP_URL, discards with a record of who, and refuses a second discard', async () => {
    const id = await openTicket(call, `${unique('per')}@firma.no`);
    const reply = await call('POST', `/api/v1/tickets/${id}/messages`, { text: 'Feil svar.' });
    const outboxId = lastReply(reply.body).delivery?.outboxId ?? '';

    const list = await call('GET', '/api/v1/outbox');
    expect(list.body.sending).toBe(false);
    expect((list.body.items as OutboxEmail[]).find((m) => m.id === outboxId)).toMatchObject({
      status: 'held',
      holdReason: 'smtp_not_configured',
      actions: [],
    });

    const release = await call('POST', `/api/v1/outbox/${outboxId}/release`);
    expect(release.status).toBe(409);
    expect(release.body).toMatchObject({ code: 'smtp_not_configured' });
    expect(String(release.body.detail)).toContain('SMTP_URL');

    const discarded = await call('POST', `/api/v1/outbox/${outboxId}/discard`);
    expect(discarded.status).toBe(200);
    expect(discarded.body).toMatchObject({
      status: 'discarded',
      holdReason: null,
      actions: [{ action: 'discarded', userName: 'Ada Admin' }],
    });
    const ticket = await call('GET', `/api/v1/tickets/${id}`);
    expect(lastReply(ticket.body).delivery?.status).toBe('discarded');

    const again = await call('POST', `/api/v1/outbox/${outboxId}/discard`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'outbox_state' });
    expect(String(again.body.detail)).toContain('the email is discarded');
    expect(
      (await call('POST', '/api/v1/outbox/00000000-0000-4000-8000-000000000000/discard')).status,
    ).toBe(404);
    expect((await call('POST', '/api/v1/outbox/not-an-id/discard')).status).toBe(422);
  });

  it('lets only agents who manage settings work the Outbox, and no other account', async () => {
    const id = await openTicket(call, `${unique('siri')}@firma.no`);
    const reply = await call('POST', `/api/v1/tickets/${id}/messages`, { text: 'Hei Siri.' });
    const outboxId = lastReply(reply.body).delivery?.outboxId ?? '';
    const agent = await server.services.agents.createUser(accountId, {
      email: `${unique('agent')}@example.org`,
      name: 'Plain Agent',
      password: 'plain agent horse battery',
    });
    const agentToken = (await server.services.agents.createToken(accountId, agent.id, 'a')).token;
    for (const verb of ['release', 'retry', 'discard'])
      expect(
        (await call('POST', `/api/v1/outbox/${outboxId}/${verb}`, undefined, agentToken)).status,
      ).toBe(403);
    // The agent still sees the state on the ticket they replied on.
    expect(
      lastReply((await call('GET', `/api/v1/tickets/${id}`, undefined, agentToken)).body).delivery
        ?.status,
    ).toBe('held');

    const stranger = await adminOf(server);
    expect((await stranger.call('POST', `/api/v1/outbox/${outboxId}/discard`)).status).toBe(404);
    const list = await call('GET', '/api/v1/outbox');
    expect((list.body.items as OutboxEmail[]).find((m) => m.id === outboxId)?.status).toBe('held');
  });
});

describe.each(testDialects())('delivery over a real SMTP conversation on %s', (dialect) => {
  let server: TestServer;
  let sink: SMTPServer;
  let call: Call;
  let accountId: string;
  const received: ParsedMail[] = [];

  beforeAll(async () => {
    sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody'))
          callback(Object.assign(new Error('5.1.1 No such mailbox here'), { responseCode: 550 }));
        else callback();
      },
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
    const admin = await adminOf(server);
    call = admin.call;
    accountId = admin.account.accountId;
  });
  afterAll(async () => {
    await server.close();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  });

  const ticketReply = async (id: string) =>
    lastReply((await call('GET', `/api/v1/tickets/${id}`)).body);

  it('shows a reply queued, then sent once the mail server took it', async () => {
    const email = `${unique('ola')}@firma.no`;
    const id = await openTicket(call, email);
    const reply = await call('POST', `/api/v1/tickets/${id}/messages`, { text: 'Sendt på nytt.' });
    expect(lastReply(reply.body).delivery).toMatchObject({ status: 'queued', holdReason: null });
    await server.services.worker.drain();
    const sent = (await ticketReply(id)).delivery;
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(sent?.sentAt).toBeTruthy();
    const mail = received.find((m) => m.text?.includes('Sendt på nytt.'));
    expect(mail?.headers.get('x-kunde-outbox')).toBe(sent?.outboxId);
    // Sent mail stays sent.
    const discard = await call('POST', `/api/v1/outbox/${sent?.outboxId ?? ''}/discard`);
    expect(discard.status).toBe(409);
  });

  it('fails at once with the server’s answer when the mailbox is refused, and retries on request', async () => {
    const id = await openTicket(call, `nobody.${unique('x')}@firma.no`);
    await call('POST', `/api/v1/tickets/${id}/messages`, { text: 'Kommer dette fram?' });
    await server.services.worker.drain();
    const failed = (await ticketReply(id)).delivery;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed?.lastError).toMatch(/550.*No such mailbox/);

    expect((await call('POST', `/api/v1/outbox/${failed?.outboxId ?? ''}/release`)).status).toBe(
      409,
    );
    const retried = await call('POST', `/api/v1/outbox/${failed?.outboxId ?? ''}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'queued', actions: [{ action: 'retried' }] });
    await server.services.worker.drain();
    expect((await ticketReply(id)).delivery).toMatchObject({ status: 'failed', attempts: 2 });
    expect(received.some((m) => m.text?.includes('Kommer dette fram?'))).toBe(false);
  });

  it('releases mail held before SMTP_URL was set, and it is sent; a queued one can be discarded', async () => {
    const email = `${unique('kari')}@firma.no`;
    const id = await openTicket(call, email);
    // Written by a node without SMTP_URL: held.
    const outboxId = await queueEmail(
      server.services.db.kysely,
      accountId,
      {
        ticketId: id,
        to: email,
        from: 'support@firma.no',
        subject: 'Re: Faktura mangler',
        text: 'Holdt tilbake, så sluppet.',
        messageId: `<${unique('held')}@firma.no>`,
      },
      false,
    );
    const released = await call('POST', `/api/v1/outbox/${outboxId}/release`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({
      status: 'queued',
      holdReason: null,
      actions: [{ action: 'released', userName: 'Ada Admin' }],
    });
    expect((await call('POST', `/api/v1/outbox/${outboxId}/release`)).status).toBe(409);
    await server.services.worker.drain();
    const list = await call('GET', '/api/v1/outbox');
    expect(list.body.sending).toBe(true);
    expect((list.body.items as OutboxEmail[]).find((m) => m.id === outboxId)?.status).toBe('sent');
    expect(received.some((m) => m.text?.includes('Holdt tilbake, så sluppet.'))).toBe(true);

    const queued = await call('POST', `/api/v1/tickets/${id}/messages`, {
      text: 'Ikke send denne.',
    });
    const queuedId = lastReply(queued.body).delivery?.outboxId ?? '';
    expect((await call('POST', `/api/v1/outbox/${queuedId}/discard`)).body.status).toBe(
      'discarded',
    );
    await server.services.worker.drain();
    expect((await ticketReply(id)).delivery?.status).toBe('discarded');
    expect(received.some((m) => m.text?.includes('Ikke send denne.'))).toBe(false);
  });
});
