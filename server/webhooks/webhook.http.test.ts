// Webhooks over real HTTP on both databases: endpoints registered through the API, events from
// customer, organization and ticket changes received by a real HTTP server in the test, which
// checks the signature as an integration would; retries after a 500 with backoff, failed after
// the last attempt, an administrator's retry, the test event, erasure withdrawing what was not
// yet sent, event filters, and another account never hearing this one's events.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_ATTEMPTS, type WebhookDelivery } from '../../common/webhook.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { startReceiver, verifySignature, type WebhookReceiver } from './webhook.testkit.ts';

describe.each(testDialects())('webhooks over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let token: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    server = await startTestServer({ dialect, allowPrivateWebhooks: true });
    account = await createTestAccount(server.services);
    token = await tokenOf(account);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });
  beforeEach(async () => {
    // Each test starts with no endpoint and an empty receiver.
    for (const endpoint of (await call('GET', '/api/v1/webhooks')).body.items as { id: string }[])
      await call('DELETE', `/api/v1/webhooks/${endpoint.id}`);
    await server.services.worker.drain();
    receiver.received.length = 0;
    receiver.answers.length = 0;
  });

  async function tokenOf(a: TestAccount) {
    return (await server.services.agents.createToken(a.accountId, a.admin.userId ?? '', 't')).token;
  }

  async function call(method: string, path: string, body?: unknown, bearer = token) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      text,
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    };
  }

  async function endpoint(events: string[], url = receiver.url, bearer = token) {
    const made = await call(
      'POST',
      '/api/v1/webhooks',
      { url, events, description: 'CRM' },
      bearer,
    );
    expect(made.status).toBe(201);
    return made.body as { id: string; secret: string };
  }

  async function deliveries(endpointId: string) {
    const log = await call('GET', `/api/v1/webhooks/${endpointId}/deliveries?limit=200`);
    expect(log.status).toBe(200);
    return log.body.items as WebhookDelivery[];
  }

  /** Time passes: every scheduled retry of the account is due now. */
  async function makeRetriesDue(accountId = account.accountId) {
    const k = server.services.db.kysely;
    const past = new Date(Date.now() - 1000).toISOString();
    await k
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: past })
      .where('account_id', '=', accountId)
      .where('status', '=', 'retrying')
      .execute();
    await k
      .updateTable('jobs')
      .set({ run_at: past })
      .where('account_id', '=', accountId)
      .where('kind', '=', 'deliver-webhooks')
      .where('status', '=', 'queued')
      .execute();
  }

  it('registers an endpoint whose secret is answered once, and refuses bad input naming the field', async () => {
    const made = await endpoint(['customer.created']);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const got = await call('GET', `/api/v1/webhooks/${made.id}`);
    expect(got.body).toMatchObject({
      url: receiver.url,
      events: ['customer.created'],
      active: true,
    });
    expect(got.text).not.toContain(made.secret);
    expect((await call('GET', '/api/v1/webhooks')).text).not.toContain(made.secret);
    const patched = await call('PATCH', `/api/v1/webhooks/${made.id}`, { description: 'ERP' });
    expect(patched.body.secret).toBeUndefined();

    const ftp = await call('POST', '/api/v1/webhooks', {
      url: 'ftp://x.example',
      events: ['ticket.created'],
    });
    expect(ftp.status).toBe(422);
    expect(ftp.body.errors).toEqual([expect.objectContaining({ field: 'url', code: 'not_a_url' })]);
    const none = await call('POST', '/api/v1/webhooks', { url: receiver.url, events: [] });
    expect(none.status).toBe(422);
    expect(none.body.errors).toEqual([expect.objectContaining({ field: 'events' })]);
    const unknown = await call('POST', '/api/v1/webhooks', {
      url: receiver.url,
      events: ['customer.eaten'],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'events.0' })]);
  });

  it('delivers customer created, updated and deactivated, signed with the secret; filters by events', async () => {
    const all = await endpoint(['customer.created', 'customer.updated', 'customer.deactivated']);
    const onlyDeactivated = await endpoint(
      ['customer.deactivated'],
      `${receiver.url}?only=deactivated`,
    );
    const made = await call('POST', '/api/v1/customers', {
      email: 'hook.ola@example.org',
      firstName: 'Ola',
    });
    const id = (made.body as { id: string }).id;
    await call('PATCH', `/api/v1/customers/${id}`, { firstName: 'Ola Jr' });
    await call('PATCH', `/api/v1/customers/${id}`, { status: 'deactivated' });
    await server.services.worker.drain();

    const toAll = receiver.received.filter((r) => r.path === '/hook');
    expect(toAll.map((r) => r.json.type).sort()).toEqual([
      'customer.created',
      'customer.deactivated',
      'customer.updated',
    ]);
    for (const r of toAll) {
      expect(verifySignature(all.secret, r)).toBe(true);
      expect(verifySignature(onlyDeactivated.secret, r)).toBe(false);
      expect(r.headers['kunde-event']).toBe(r.json.type);
      expect(r.json.accountId).toBe(account.accountId);
      expect((r.json.data.customer as { id: string }).id).toBe(id);
    }
    const updated = toAll.find((r) => r.json.type === 'customer.updated');
    expect(updated?.json.data.customer).toMatchObject({
      firstName: 'Ola Jr',
      email: 'hook.ola@example.org',
    });
    const filtered = receiver.received.filter((r) => r.path !== '/hook');
    expect(filtered.map((r) => r.json.type)).toEqual(['customer.deactivated']);
    expect(verifySignature(onlyDeactivated.secret, filtered[0]!)).toBe(true);

    const log = await deliveries(all.id);
    expect(log).toHaveLength(3);
    for (const d of log)
      expect(d).toMatchObject({
        status: 'delivered',
        attempts: 1,
        responseStatus: 200,
        error: null,
      });
    expect(log.map((d) => d.createdAt)).toEqual([...log.map((d) => d.createdAt)].sort().reverse());
    expect(new Set(toAll.map((r) => r.headers['kunde-delivery']))).toEqual(
      new Set(log.map((d) => d.id)),
    );
  });

  it('retries after a 500 with backoff in nextAttemptAt, then delivers the same delivery', async () => {
    const hook = await endpoint(['customer.created']);
    receiver.answers.push(500);
    await call('POST', '/api/v1/customers', { email: 'hook.retry@example.org' });
    const before = Date.now();
    await server.services.worker.drain();
    const [first] = await deliveries(hook.id);
    expect(first).toMatchObject({
      status: 'retrying',
      attempts: 1,
      responseStatus: 500,
      error: 'answered HTTP 500',
    });
    const wait = Date.parse(first!.nextAttemptAt!) - before;
    // About a minute, ±20 % jitter.
    expect(wait).toBeGreaterThan(45_000);
    expect(wait).toBeLessThan(75_000);
    await server.services.worker.drain();
    expect(receiver.received).toHaveLength(1);

    await makeRetriesDue();
    await server.services.worker.drain();
    const [second] = await deliveries(hook.id);
    expect(second).toMatchObject({
      id: first!.id,
      status: 'delivered',
      attempts: 2,
      responseStatus: 200,
      nextAttemptAt: null,
    });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.headers['kunde-delivery']).toBe(
      receiver.received[1]!.headers['kunde-delivery'],
    );
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    expect(verifySignature(hook.secret, receiver.received[1]!)).toBe(true);
  });

  it(`fails after ${MAX_WEBHOOK_ATTEMPTS} attempts with growing waits; an administrator's retry delivers it`, async () => {
    const hook = await endpoint(['organization.created']);
    receiver.answers.push(...Array<number>(MAX_WEBHOOK_ATTEMPTS).fill(503));
    await call('POST', '/api/v1/organizations', { name: 'Retry AS' });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_WEBHOOK_ATTEMPTS; attempt++) {
      const at = Date.now();
      await server.services.worker.drain();
      const [d] = await deliveries(hook.id);
      expect(d?.attempts).toBe(attempt);
      if (d?.nextAttemptAt) waits.push(Date.parse(d.nextAttemptAt) - at);
      await makeRetriesDue();
    }
    const [failed] = await deliveries(hook.id);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: MAX_WEBHOOK_ATTEMPTS,
      responseStatus: 503,
      nextAttemptAt: null,
    });
    expect(waits).toHaveLength(MAX_WEBHOOK_ATTEMPTS - 1);
    // Doubling with ±20 % jitter: each wait is more than the one before.
    for (let i = 1; i < waits.length; i++) expect(waits[i]!).toBeGreaterThan(waits[i - 1]!);
    expect(receiver.received).toHaveLength(MAX_WEBHOOK_ATTEMPTS);

    const retried = await call('POST', `/api/v1/webhook-deliveries/${failed!.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'delivered', responseStatus: 200 });
    expect((await call('POST', `/api/v1/webhook-deliveries/${failed!.id}/retry`)).status).toBe(409);
  });

  it('sends a test event now and answers its delivery; a dead endpoint is answered as failed', async () => {
    const hook = await endpoint(['ticket.created']);
    const sent = await call('POST', `/api/v1/webhooks/${hook.id}/test`);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      eventType: 'ping',
      status: 'delivered',
      responseStatus: 200,
      attempts: 1,
    });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.json).toMatchObject({
      type: 'ping',
      data: { endpointId: hook.id },
    });
    expect(verifySignature(hook.secret, receiver.received[0]!)).toBe(true);

    const dead = await endpoint(['ticket.created'], 'http://127.0.0.1:1/nothing-listens');
    const failed = await call('POST', `/api/v1/webhooks/${dead.id}/test`);
    expect(failed.body).toMatchObject({ status: 'failed', responseStatus: null });
    expect(String(failed.body.error)).toMatch(/ECONNREFUSED/);

    const rotated = await call('PATCH', `/api/v1/webhooks/${hook.id}`, { rotateSecret: true });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    await call('POST', `/api/v1/webhooks/${hook.id}/test`);
    expect(verifySignature(String(rotated.body.secret), receiver.received[1]!)).toBe(true);
    expect(verifySignature(hook.secret, receiver.received[1]!)).toBe(false);
  });

  it('sends nothing about a customer after their erasure; delivered payloads are blanked; customer.erased carries the id only', async () => {
    const hook = await endpoint([
      'customer.created',
      'customer.updated',
      'customer.erased',
      'ticket.created',
    ]);
    const made = await call('POST', '/api/v1/customers', {
      email: 'hook.erase@example.org',
      firstName: 'Eli',
    });
    const id = (made.body as { id: string }).id;
    await server.services.worker.drain();
    expect(receiver.received).toHaveLength(1);
    // Pending: an update the receiver has not yet had (no drain) when the erasure comes.
    await call('PATCH', `/api/v1/customers/${id}`, { firstName: 'Elisabeth' });
    expect((await call('DELETE', `/api/v1/customers/${id}`)).status).toBe(202);
    await server.services.worker.drain();

    const after = receiver.received.slice(1);
    expect(after.map((r) => r.json.type)).toEqual(['customer.erased']);
    expect(after[0]!.json.data).toEqual({ customerId: id });
    for (const r of after) expect(r.body).not.toMatch(/Elisabeth|hook\.erase/);
    const log = await deliveries(hook.id);
    expect(log.map((d) => [d.eventType, d.status])).toEqual([
      ['customer.erased', 'delivered'],
      ['customer.created', 'delivered'],
    ]);
    const rows = await server.services.db.kysely
      .selectFrom('webhook_deliveries')
      .select('payload')
      .where('account_id', '=', account.accountId)
      .execute();
    for (const row of rows) expect(row.payload).not.toMatch(/Eli|hook\.erase/);
  });

  it('delivers customer.created for every row of a CSV import (the set-based write path)', async () => {
    const hook = await endpoint(['customer.created', 'customer.updated']);
    const rows = Array.from({ length: 25 }, (_, i) => `hook.import${i}@example.org,Row${i}`);
    const response = await fetch(`${server.url}/api/v1/customer-imports?start=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: `email,first_name\r\n${rows.join('\r\n')}\r\n`,
    });
    expect(response.status).toBe(201);
    await server.services.worker.drain();
    const created = receiver.received.filter((r) => r.json.type === 'customer.created');
    expect(created).toHaveLength(25);
    expect(created.map((r) => (r.json.data.customer as { email: string }).email).sort()).toEqual(
      rows.map((r) => r.split(',')[0]).sort(),
    );
    for (const r of created) expect(verifySignature(hook.secret, r)).toBe(true);
  });

  it('delivers organization.created for an organization a new customer’s domain made', async () => {
    const hook = await endpoint(['organization.created']);
    const made = await call('POST', '/api/v1/customers', { email: 'kari@nyfirma-hook.no' });
    const organizationId = (made.body as { organizationId: string | null }).organizationId;
    expect(organizationId).toBeTruthy();
    // The second customer of that domain joins it: nothing new is created, nothing is sent.
    await call('POST', '/api/v1/customers', { email: 'per@nyfirma-hook.no' });
    await server.services.worker.drain();
    expect(receiver.received.map((r) => r.json.type)).toEqual(['organization.created']);
    expect(receiver.received[0]!.json.data).toMatchObject({
      organization: {
        id: organizationId,
        name: 'nyfirma-hook.no',
        domains: ['nyfirma-hook.no'],
        autoCreated: true,
      },
    });
    expect(verifySignature(hook.secret, receiver.received[0]!)).toBe(true);
  });

  it('delivers organization created, updated, deleted and ticket created, updated', async () => {
    const hook = await endpoint([
      'organization.created',
      'organization.updated',
      'organization.deleted',
      'ticket.created',
      'ticket.updated',
    ]);
    const org = await call('POST', '/api/v1/organizations', {
      name: 'Hook AS',
      domains: ['hook-as.no'],
    });
    const orgId = (org.body as { id: string }).id;
    await call('PATCH', `/api/v1/organizations/${orgId}`, { notes: 'VIP' });
    const ticket = await call('POST', '/api/v1/tickets', {
      subject: 'Printer',
      message: 'It is on fire',
      requester: { email: 'hook.ticket@example.org' },
    });
    const ticketId = (ticket.body as { id: string }).id;
    await call('PATCH', `/api/v1/tickets/${ticketId}`, { status: 'resolved' });
    await call('DELETE', `/api/v1/organizations/${orgId}`);
    await server.services.worker.drain();
    const byType = new Map(receiver.received.map((r) => [r.json.type, r.json.data]));
    expect([...byType.keys()].sort()).toEqual([
      'organization.created',
      'organization.deleted',
      'organization.updated',
      'ticket.created',
      'ticket.updated',
    ]);
    expect(byType.get('organization.created')).toMatchObject({
      organization: { id: orgId, name: 'Hook AS', domains: ['hook-as.no'] },
    });
    expect(byType.get('organization.updated')).toMatchObject({ organization: { notes: 'VIP' } });
    expect(byType.get('organization.deleted')).toMatchObject({ organization: { id: orgId } });
    expect(byType.get('ticket.created')).toMatchObject({
      ticket: { id: ticketId, subject: 'Printer', status: 'open' },
    });
    expect(byType.get('ticket.updated')).toMatchObject({
      ticket: { id: ticketId, status: 'resolved' },
    });
    for (const r of receiver.received) expect(verifySignature(hook.secret, r)).toBe(true);
  });

  it("never lets another account's endpoints hear this account's events, nor see or retry its deliveries", async () => {
    const other = await createTestAccount(server.services);
    const otherToken = await tokenOf(other);
    const theirs = await endpoint(['customer.created'], `${receiver.url}?theirs`, otherToken);
    const mine = await endpoint(['customer.created']);
    await call('POST', '/api/v1/customers', { email: 'hook.mine@example.org' });
    await server.services.worker.drain();
    expect(receiver.received.map((r) => r.path)).toEqual(['/hook']);
    expect(await deliveries(mine.id)).toHaveLength(1);
    const [delivery] = await deliveries(mine.id);
    expect((await call('GET', `/api/v1/webhooks/${mine.id}`, undefined, otherToken)).status).toBe(
      404,
    );
    expect(
      (await call('GET', `/api/v1/webhooks/${mine.id}/deliveries`, undefined, otherToken)).status,
    ).toBe(404);
    expect(
      (await call('POST', `/api/v1/webhooks/${mine.id}/test`, undefined, otherToken)).status,
    ).toBe(404);
    expect(
      (
        await call(
          'POST',
          `/api/v1/webhook-deliveries/${delivery!.id}/retry`,
          undefined,
          otherToken,
        )
      ).status,
    ).toBe(404);
    expect((await call('GET', '/api/v1/webhooks', undefined, otherToken)).body.items).toEqual([
      expect.objectContaining({ id: theirs.id }),
    ]);
  });

  it('a deactivated endpoint hears nothing; its log pages newest first', async () => {
    const hook = await endpoint(['customer.created']);
    for (let i = 0; i < 3; i++)
      await call('POST', '/api/v1/customers', { email: `hook.page${i}@example.org` });
    await server.services.worker.drain();
    const first = await call('GET', `/api/v1/webhooks/${hook.id}/deliveries?limit=2`);
    expect(first.body).toMatchObject({ total: 3 });
    expect(first.body.items).toHaveLength(2);
    const rest = await call(
      'GET',
      `/api/v1/webhooks/${hook.id}/deliveries?limit=2&cursor=${String(first.body.nextCursor)}`,
    );
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeUndefined();
    const emails = [
      ...(first.body.items as WebhookDelivery[]),
      ...(rest.body.items as WebhookDelivery[]),
    ];
    expect(new Set(emails.map((d) => d.id)).size).toBe(3);

    await call('PATCH', `/api/v1/webhooks/${hook.id}`, { active: false });
    await call('POST', '/api/v1/customers', { email: 'hook.silent@example.org' });
    await server.services.worker.drain();
    expect(receiver.received).toHaveLength(3);
    expect((await call('POST', `/api/v1/webhooks/${hook.id}/test`)).status).toBe(409);
  });
});
