// Erasure over real HTTP on each dialect: the dry run, DELETE refused with 409 problem+json and
// its reasons, DELETE accepted with 202 and the job, the customer gone and listed on Deleted
// Customers (paged by keyset), an agent without customers.delete refused; and the retention
// purge: the preview counts what the next run erases, turning it on queues the run, the run
// erases exactly those customers with the reason retention_policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

describe.each(testDialects())('erasure over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
  });
  afterAll(() => server.close());

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
      type: response.headers.get('content-type') ?? '',
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    };
  }

  async function customer(email: string) {
    const made = await call('POST', '/api/v1/customers', { email });
    expect(made.status).toBe(201);
    return made.body as { id: string; number: number };
  }

  it('refuses with the ticket numbers, then erases once they are resolved', async () => {
    const c = await customer('http.erase@example.org');
    const t = await call('POST', '/api/v1/tickets', {
      subject: 'Still open',
      message: 'Help',
      requester: { email: 'http.erase@example.org' },
    });
    const number = (t.body as { number: number }).number;
    const dry = await call('GET', `/api/v1/customers/${c.id}/erasure`);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ allowed: false, counts: { tickets: 1, messages: 1 } });
    const refused = await call('DELETE', `/api/v1/customers/${c.id}`);
    expect(refused.status).toBe(409);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      code: 'erasure_refused',
      reasons: [{ code: 'unresolved_tickets', tickets: [number] }],
    });
    await call('PATCH', `/api/v1/tickets/${(t.body as { id: string }).id}`, { status: 'resolved' });
    const accepted = await call('DELETE', `/api/v1/customers/${c.id}`);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ customerId: c.id, customerNumber: c.number });
    await server.services.worker.drain();
    expect((await call('GET', `/api/v1/customers/${c.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/customers/${c.id}`)).status).toBe(404);
    const log = await call('GET', '/api/v1/deleted-customers');
    expect(log.body.items).toEqual([
      expect.objectContaining({
        customerNumber: c.number,
        email: 'h***e@e***e.org',
        reason: 'agent_request',
        deletedBy: expect.objectContaining({ name: 'Ada Admin' }) as unknown,
      }),
    ]);
  });

  it('says from which date when within retention', async () => {
    await call('PATCH', '/api/v1/settings', { customerRetentionDays: 30, timeZone: 'Europe/Oslo' });
    const c = await customer('http.retained@example.org');
    const refused = await call('DELETE', `/api/v1/customers/${c.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.reasons).toEqual([
      expect.objectContaining({ code: 'within_retention', timeZone: 'Europe/Oslo' }),
    ]);
    const bad = await call('PATCH', '/api/v1/settings', { timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('timeZone');
    await call('PATCH', '/api/v1/settings', { customerRetentionDays: 0 });
  });

  it('refuses an agent without customers.delete', async () => {
    const agent = await server.services.agents.createUser(account.accountId, {
      email: 'plain.agent@example.org',
      name: 'Plain Agent',
      password: 'plain agent horse battery',
    });
    const agentToken = (
      await server.services.agents.createToken(account.accountId, agent.id, 'agent')
    ).token;
    const c = await customer('http.protected@example.org');
    for (const [method, path] of [
      ['GET', `/api/v1/customers/${c.id}/erasure`],
      ['DELETE', `/api/v1/customers/${c.id}`],
    ] as const)
      expect((await call(method, path, undefined, agentToken)).status).toBe(403);
    expect((await call('GET', '/api/v1/deleted-customers', undefined, agentToken)).status).toBe(
      200,
    );
  });

  it('pages Deleted Customers by keyset', async () => {
    for (let i = 0; i < 3; i++) {
      const c = await customer(`http.page${i}@example.org`);
      expect((await call('DELETE', `/api/v1/customers/${c.id}`)).status).toBe(202);
    }
    await server.services.worker.drain();
    const first = await call('GET', '/api/v1/deleted-customers?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await call(
      'GET',
      `/api/v1/deleted-customers?limit=2&cursor=${String(first.body.nextCursor)}`,
    );
    const numbers = [...(first.body.items as []), ...(second.body.items as [])].map(
      (i: { customerNumber: number }) => i.customerNumber,
    );
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.length).toBe(first.body.total);
  });

  it('previews the purge, and the purge erases exactly those customers', async () => {
    const old = [
      await customer('purge.old1@example.org'),
      await customer('purge.old2@example.org'),
    ];
    const busy = await customer('purge.busy@example.org');
    await customer('purge.recent@example.org');
    await call('POST', '/api/v1/tickets', {
      subject: 'Open',
      message: 'Help',
      requester: { email: 'purge.busy@example.org' },
    });
    const longAgo = new Date(Date.now() - 400 * 86_400_000).toISOString();
    for (const c of [...old, busy])
      await server.services.db.kysely
        .updateTable('customers')
        .set({ last_activity_at: longAgo })
        .where('account_id', '=', account.accountId)
        .where('id', '=', c.id)
        .execute();
    await call('PATCH', '/api/v1/settings', { customerRetentionDays: 365 });
    const preview = await call('GET', '/api/v1/settings/retention-preview');
    expect(preview.body).toMatchObject({ count: 2, enabled: false, customerRetentionDays: 365 });
    await server.services.worker.drain();
    // Off: nothing is erased.
    expect((await call('GET', `/api/v1/customers/${old[0]!.id}`)).status).toBe(200);
    await call('PATCH', '/api/v1/settings', { retentionPurgeEnabled: true });
    await server.services.worker.drain();
    for (const c of old) expect((await call('GET', `/api/v1/customers/${c.id}`)).status).toBe(404);
    expect((await call('GET', `/api/v1/customers/${busy.id}`)).status).toBe(200);
    const log = await call('GET', '/api/v1/deleted-customers?limit=200');
    const purged = (log.body.items as { reason: string; customerNumber: number }[]).filter(
      (i) => i.reason === 'retention_policy',
    );
    expect(purged.map((i) => i.customerNumber).sort()).toEqual(old.map((c) => c.number).sort());
    expect((await call('GET', '/api/v1/settings/retention-preview')).body).toMatchObject({
      count: 0,
      enabled: true,
    });
    // The next run is queued for tomorrow, once.
    const queued = await server.services.db.kysely
      .selectFrom('jobs')
      .select('run_at')
      .where('account_id', '=', account.accountId)
      .where('kind', '=', 'retention-purge')
      .where('status', '=', 'queued')
      .execute();
    expect(queued).toHaveLength(1);
    expect(Date.parse(queued[0]!.run_at)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    await call('PATCH', '/api/v1/settings', {
      retentionPurgeEnabled: false,
      customerRetentionDays: 0,
    });
  });
});
