// Operations over real HTTP: /metrics behind its bearer token (and absent without one), HTTP
// requests counted under their route pattern, inbound mail counted as it is accepted and
// processed, the job queue, unprocessed mail and the outbox read from the tables; /api/ready 200, and 503 naming a pending migration or an unreachable database; the
// request id echoed (the caller's when it is sane, else a fresh one).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../jobs/task.ts';
import { importTask } from '../imports/import.task.ts';
import { queueEmail } from '../mail/outbox.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';

async function scrape(server: TestServer, token = METRICS_TOKEN) {
  const response = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The value of one sample line (`name{labels} value`), 0 when the line is not there. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    const parts = inside.split(',');
    if (wanted.every((w) => parts.includes(w))) return Number(line.slice(line.indexOf('}') + 2));
  }
  return 0;
}

describe.each(testDialects())('operations endpoints on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect, metricsToken: METRICS_TOKEN });
    account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
  });
  afterAll(() => server.close());

  it('answers /metrics only to its bearer token', async () => {
    const none = await fetch(`${server.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(await none.json()).toMatchObject({ code: 'invalid_token' });
    // An agent's API token is no metrics token: these numbers span every account.
    expect((await scrape(server, token)).status).toBe(401);
    expect((await scrape(server, `${METRICS_TOKEN}x`)).status).toBe(401);
    const ok = await scrape(server);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
    expect(ok.text).toContain('# TYPE kunde_http_requests_total counter');
  });

  it('counts requests under their route pattern, method and status, never the raw URL', async () => {
    const missing = '0190a0a0-0000-7000-8000-000000000000';
    const labels = { method: 'GET', route: '/api/v1/customers/:id', status: '404' };
    const before = sample((await scrape(server)).text, 'kunde_http_requests_total', labels);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${server.url}/api/v1/customers/${missing}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(404);
    }
    await fetch(`${server.url}/api/no/such/${missing}`);
    const text = (await scrape(server)).text;
    expect(sample(text, 'kunde_http_requests_total', labels)).toBe(before + 3);
    expect(
      sample(text, 'kunde_http_request_duration_seconds_count', labels),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(text, 'kunde_http_request_duration_seconds_bucket', { ...labels, le: '+Inf' }),
    ).toBeGreaterThanOrEqual(3);
    // No series is named after an id: a million customers are not a million series.
    expect(text).not.toContain(missing);
    expect(sample(text, 'kunde_http_requests_total', { route: 'unmatched', status: '404' })).toBe(
      1,
    );
  });

  it('reads job queue depth and age, by kind, from the jobs table', async () => {
    const kind = importTask.kind;
    const before = sample((await scrape(server)).text, 'kunde_jobs', { kind, state: 'queued' });
    // Due a minute ago, and never picked up (this test server runs no worker).
    await enqueue(
      server.services.db.kysely,
      account.accountId,
      importTask,
      { importId: 'metrics-test' },
      { runAt: new Date(Date.now() - 60_000) },
    );
    const text = (await scrape(server)).text;
    expect(sample(text, 'kunde_jobs', { kind, state: 'queued' })).toBe(before + 1);
    expect(
      sample(text, 'kunde_jobs_oldest_age_seconds', { kind, state: 'queued' }),
    ).toBeGreaterThanOrEqual(59);
    expect(text).toMatch(/^kunde_database_up 1$/m);
  });

  it('counts inbound email accepted and its outcomes, the unprocessed, and the outbox', async () => {
    const post = (raw: string) =>
      fetch(`${server.url}/api/v1/inbound/email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' },
        body: raw,
      });
    const mail = (extra: string) =>
      `From: Kari <kari@metrics.example>\r\nTo: support@x.example\r\n${extra}Subject: Hello\r\n\r\nHi\r\n`;
    const read = (text: string) => ({
      accepted: sample(text, 'kunde_inbound_emails_accepted_total', { source: 'webhook' }),
      ticket: sample(text, 'kunde_inbound_emails_processed_total', { outcome: 'ticket' }),
      ignored: sample(text, 'kunde_inbound_emails_processed_total', { outcome: 'ignored' }),
      received: sample(text, 'kunde_inbound_emails_unfinished', { status: 'received' }),
      held: sample(text, 'kunde_outbox_emails', { status: 'held' }),
    });
    const before = read((await scrape(server)).text);
    expect((await post(mail(''))).status).toBeLessThan(300);
    expect((await post(mail('Auto-Submitted: auto-replied\r\n'))).status).toBeLessThan(300);
    // Stored and not processed yet, as a kill between the two would leave it.
    await server.services.emailIntake.store(account.accountId, Buffer.from(mail('')), {
      from: 'kari@metrics.example',
      to: 'support@x.example',
    });
    await queueEmail(
      server.services.db.kysely,
      account.accountId,
      {
        to: 'kari@metrics.example',
        from: 'support@x.example',
        subject: 'Re: Hello',
        text: 'Hello Kari',
        messageId: '<held@metrics.example>',
      },
      false,
    );
    const text = (await scrape(server)).text;
    expect(read(text)).toEqual({
      accepted: before.accepted + 2,
      ticket: before.ticket + 1,
      ignored: before.ignored + 1,
      received: before.received + 1,
      held: before.held + 1,
    });
    if (dialect === 'postgres') {
      expect(text).toMatch(/^kunde_db_pool_connections \d+$/m);
      expect(text).toMatch(/^kunde_db_pool_waiting \d+$/m);
    } else {
      expect(text).not.toContain('kunde_db_pool');
    }
  });

  it('echoes a sane X-Request-Id and replaces one that is not', async () => {
    const sent = await fetch(`${server.url}/api/health`, {
      headers: { 'x-request-id': 'lb-7f3a.42:abc' },
    });
    expect(sent.headers.get('x-request-id')).toBe('lb-7f3a.42:abc');
    const insane = await fetch(`${server.url}/api/health`, {
      headers: { 'x-request-id': `${'x'.repeat(200)}` },
    });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const spaced = await fetch(`${server.url}/api/health`, {
      headers: { 'x-request-id': 'two words' },
    });
    expect(spaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const none = await fetch(`${server.url}/api/v1/customers`);
    expect(none.status).toBe(401);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is ready when the database answers and no migration is pending', async () => {
    const ready = await fetch(`${server.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', migrations: 'current' });
    // A stale credential does not turn a probe into a 401.
    const withToken = await fetch(`${server.url}/api/ready`, {
      headers: { authorization: 'Bearer revoked' },
    });
    expect(withToken.status).toBe(200);
  });

  it('is not ready, naming the migration, while one is pending', async () => {
    const { kysely } = server.services.db;
    // Kysely's own bookkeeping: forget that the latest migration ran.
    const last = await sql<{ name: string; timestamp: string }>`
      select name, timestamp from kysely_migration order by name desc limit 1`.execute(kysely);
    const { name, timestamp } = last.rows[0] ?? { name: '', timestamp: '' };
    await sql`delete from kysely_migration where name = ${name}`.execute(kysely);
    try {
      const response = await fetch(`${server.url}/api/ready`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const body = (await response.json()) as { code: string; detail: string };
      expect(body.code).toBe('migrations_pending');
      expect(body.detail).toContain(name);
      // Liveness is another question: the process is alive.
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${name}, ${timestamp})`.execute(
        kysely,
      );
    }
    expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);
  });

  it('is not ready when the database is gone, and /metrics still answers', async () => {
    await server.services.db.close();
    const response = await fetch(`${server.url}/api/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      code: 'database_unreachable',
      detail: 'The database does not answer',
    });
    const metrics = await scrape(server);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^kunde_database_up 0$/m);
  });
});

describe('/metrics without KUNDE_METRICS_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect: 'sqlite' });
  });
  afterAll(() => server.close());

  it('does not exist: 404 as problem+json, whatever credential comes with it', async () => {
    const withToken: Record<string, string> = { authorization: `Bearer ${METRICS_TOKEN}` };
    for (const headers of [{}, withToken]) {
      const response = await fetch(`${server.url}/metrics`, { headers });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ code: 'route_not_found' });
    }
  });
});
