// The SMS webhook over real HTTP under concurrency: a burst of messages from one new number
// makes one customer and one open SMS ticket holding every message, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

const ROUNDS = 20;
const BURST = 50;

describe.each(testDialects())('SMS webhook over HTTP on %s', (dialect) => {
  let server: TestServer;
  let token: string;
  let agentToken: string;
  let secret: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
    secret = await server.services.smsIntake.rotateSecret(account.accountId);
    const agent = await server.services.agents.createUser(account.accountId, {
      email: `${unique('agent')}@example.com`,
      name: 'Agnes Agent',
      password: 'correct horse battery',
    });
    agentToken = (await server.services.agents.createToken(account.accountId, agent.id, 'a')).token;
  });
  afterAll(() => server.close());

  async function sms(from: string, body: string) {
    const response = await fetch(`${server.url}/api/v1/inbound/sms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from, body }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function get(path: string) {
    const response = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      items: Record<string, unknown>[];
      total: number;
      messages?: { text: string }[];
    };
  }

  it(`${BURST} concurrent SMS from one new number, ${ROUNDS} rounds: one customer, one open ticket, every message on it`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const digits = `9${String(1_000_000 + round * 7919 + (process.pid % 1000)).padStart(7, '0')}`;
      const results = await Promise.all(
        Array.from({ length: BURST }, (_, i) =>
          sms(`+47 ${digits}`, `round ${round} message ${i}`),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(BURST).fill(201));
      expect(new Set(results.map((r) => r.body.customerId)).size).toBe(1);
      expect(new Set(results.map((r) => r.body.ticketId)).size).toBe(1);
      expect(results.filter((r) => r.body.ticketCreated)).toHaveLength(1);

      const customers = await get(`/api/v1/customers?q=${encodeURIComponent(`+47${digits}`)}`);
      expect(customers.items.map((c) => c.phone)).toEqual([`+47${digits}`]);
      const customerId = String(customers.items[0]?.id);
      const tickets = await get(`/api/v1/tickets?customerId=${customerId}&status=unresolved`);
      expect(tickets.total).toBe(1);
      expect(tickets.items[0]).toMatchObject({ channel: 'sms', messageCount: BURST });
      const ticket = await get(`/api/v1/tickets/${String(tickets.items[0]?.id)}`);
      const texts = new Set(ticket.messages?.map((m) => m.text));
      for (let i = 0; i < BURST; i++) expect(texts.has(`round ${round} message ${i}`)).toBe(true);
    }
  }, 240_000);

  it('keeps an SMS whose body or sender holds a NUL, without the NUL', async () => {
    const sent = await sms('+47 912\u000034 567', 'Hei\u0000 der\u0007');
    expect(sent.status).toBe(201);
    const ticket = await get(`/api/v1/tickets/${String(sent.body.ticketId)}`);
    expect(ticket.messages?.map((m) => m.text)).toEqual(['Hei der']);
    const customers = await get(`/api/v1/customers?q=${encodeURIComponent('+4791234567')}`);
    expect(customers.items.map((c) => c.id)).toEqual([sent.body.customerId]);
  });

  it('creates a new SMS webhook secret for an administrator only, and the old one stops working', async () => {
    const rotate = (bearer: string) =>
      fetch(`${server.url}/api/v1/settings/sms-webhook-secret`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}` },
      });
    expect((await rotate(agentToken)).status).toBe(403);
    expect((await sms('+47 913 00 111', 'still the old secret')).status).toBe(201);

    const created = await rotate(token);
    expect(created.status).toBe(201);
    const previous = secret;
    secret = ((await created.json()) as { secret: string }).secret;
    expect(secret).not.toBe(previous);
    expect((await sms('+47 913 00 111', 'with the new secret')).status).toBe(201);
    const withOld = await fetch(`${server.url}/api/v1/inbound/sms`, {
      method: 'POST',
      headers: { 'x-kunde-webhook-secret': previous, 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+47 913 00 111', body: 'with the old secret' }),
    });
    expect(withOld.status).toBe(401);
  });
});
