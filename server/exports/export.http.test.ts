// Customer data archives over real HTTP on both databases: the request, the job, the zip's
// contents, the ready email, the download and its audit entry; three accounts' archives hold
// no canary of another customer; unauthenticated, foreign, unpermitted, unfinished, failed and
// expired downloads are refused with a problem and write no entry.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { createCanaryCustomer, readZip, type CanaryCustomer } from './export.testkit.ts';

interface Tenant {
  account: TestAccount;
  token: string;
  customer: CanaryCustomer;
  /** Another customer of the same account: their data must not be in the first one's archive. */
  sibling: CanaryCustomer;
}

describe.each(testDialects())('customer data archives on %s', (dialect) => {
  let server: TestServer;
  const tenants: Tenant[] = [];

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    for (const tag of ['alpha', 'bravo', 'charlie']) {
      const account = await createTestAccount(server.services);
      const token = (
        await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
      ).token;
      const customer = await createCanaryCustomer(server.services, account.admin, unique(tag));
      const sibling = await createCanaryCustomer(
        server.services,
        account.admin,
        unique(`sib${tag}`),
      );
      tenants.push({ account, token, customer, sibling });
    }
  });
  afterAll(() => server.close());

  function call(token: string | undefined, method: string, path: string) {
    return fetch(`${server.url}${path}`, {
      method,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  }

  async function json(response: Response) {
    return (await response.json()) as Record<string, unknown>;
  }

  async function auditActions(tenant: Tenant, customerId: string) {
    const trail = await json(
      await call(tenant.token, 'GET', `/api/v1/customers/${customerId}/audit?limit=200`),
    );
    return (trail.items as { action: string; actor: { name: string } }[]).map((e) => e.action);
  }

  async function requestAndBuild(tenant: Tenant, customerId = tenant.customer.customerId) {
    const response = await call(tenant.token, 'POST', `/api/v1/customers/${customerId}/exports`);
    expect(response.status).toBe(202);
    const requested = await json(response);
    await server.services.worker.drain();
    return requested.id as string;
  }

  it('builds the archive in the background, emails the agent and downloads it once audited', async () => {
    const tenant = tenants[0] as Tenant;
    const { customerId, canary, ticketNumber } = tenant.customer;
    const first = await call(tenant.token, 'POST', `/api/v1/customers/${customerId}/exports`);
    expect(first.status).toBe(202);
    const requested = await json(first);
    expect(requested).toMatchObject({ state: 'preparing', customerId, downloadUrl: null });
    // A double click answers the archive being prepared instead of building a second one.
    const again = await call(tenant.token, 'POST', `/api/v1/customers/${customerId}/exports`);
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(requested.id);

    const early = await call(
      tenant.token,
      'GET',
      `/api/v1/exports/${requested.id as string}/download`,
    );
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await json(early)).code).toBe('export_not_ready');

    await server.services.worker.drain();
    const listed = await json(
      await call(tenant.token, 'GET', `/api/v1/customers/${customerId}/exports`),
    );
    const ready = (listed.items as Record<string, unknown>[])[0];
    expect(ready).toMatchObject({
      id: requested.id,
      state: 'ready',
      downloadUrl: `/api/v1/exports/${requested.id as string}/download`,
    });
    expect(
      Date.parse(ready?.expiresAt as string) - Date.parse(ready?.readyAt as string),
    ).toBeCloseTo(7 * 86_400_000, -4);

    const mail = await server.services.db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('account_id', '=', tenant.account.accountId)
      .where('to_address', '=', tenant.account.adminEmail)
      .execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toBe(
      `The customer data archive for First ${canary} Nordmann is ready`,
    );
    expect(mail[0]?.body_text).toContain(`/customers/${customerId}`);

    const download = await call(tenant.token, 'GET', ready?.downloadUrl as string);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/zip');
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="customer-\d+-\d{4}-\d\d-\d\d\.zip"$/,
    );
    expect(download.headers.get('cache-control')).toBe('no-store');
    const entries = await readZip(Buffer.from(await download.arrayBuffer()));
    const folder = `tickets/${ticketNumber}`;
    expect([...entries.keys()]).toEqual(
      expect.arrayContaining([
        'README.txt',
        'schema.json',
        'customer.json',
        'customers.csv',
        'audit.json',
        'tickets.json',
        'tickets.csv',
        `${folder}/messages.json`,
        `${folder}/messages.txt`,
        `${folder}/messages.html`,
        `${folder}/attachments/0001-1-kvittering.txt`,
      ]),
    );
    const customer = JSON.parse(entries.get('customer.json')?.toString() ?? '{}') as Record<
      string,
      unknown
    >;
    expect(customer).toMatchObject({
      email: `${canary}@${canary}.example`,
      firstName: `First ${canary}`,
      customAttributes: { note: `attribute ${canary}` },
      identities: [
        expect.objectContaining({ kind: 'email', value: `${canary}@${canary}.example` }),
      ],
      organization: `${canary}.example`,
      defaultLocation: `Office ${canary}`,
      contracts: [
        expect.objectContaining({
          description: `Contract ${canary}`,
          contractHours: 10,
          hoursUsed: 0.75,
        }),
      ],
      timeOnTickets: { hours: 0.75, entries: 1 },
    });
    expect(entries.get(`${folder}/messages.txt`)?.toString()).toMatch(
      new RegExp(
        `^=== Message 1 · .+ · First ${canary} \\(customer, email\\) ===\r\nMessage text ${canary}\r\n`,
      ),
    );
    expect(entries.get(`${folder}/messages.html`)?.toString()).toContain(
      `<article id="message-1">`,
    );
    expect(entries.get(`${folder}/messages.html`)?.toString()).toContain('<b>html</b>');
    expect(entries.get(`${folder}/attachments/0001-1-kvittering.txt`)?.toString()).toBe(
      `attachment bytes ${canary}`,
    );
    const messages = JSON.parse(
      entries.get(`${folder}/messages.json`)?.toString() ?? '[]',
    ) as unknown[];
    expect(messages).toEqual([
      expect.objectContaining({
        number: 1,
        hasHtml: true,
        attachments: [
          expect.objectContaining({
            filename: 'kvittering.txt',
            file: 'attachments/0001-1-kvittering.txt',
          }),
        ],
      }),
    ]);
    const audit = JSON.parse(entries.get('audit.json')?.toString() ?? '[]') as {
      action: string;
      actor: { name: string };
    }[];
    expect(audit.map((e) => e.action)).toEqual(['export_requested', 'updated', 'created']);
    // The default location set after creation, in the trail by name.
    expect(JSON.stringify(audit[1])).toContain(`Office ${canary}`);
    expect(audit[0]?.actor.name).toBe('Ada Admin');
    expect(entries.get('README.txt')?.toString()).toContain('customer.json');
    const schema = JSON.parse(entries.get('schema.json')?.toString() ?? '{}') as {
      files: Record<string, unknown>;
    };
    expect(Object.keys(schema.files)).toEqual(
      expect.arrayContaining(['customer.json', 'audit.json']),
    );
    expect(entries.get('customers.csv')?.toString()).toContain(`${canary}@${canary}.example`);
    expect(entries.get('tickets.csv')?.toString()).toContain(`Subject ${canary}`);

    // Every request and every download is on the customer's trail, newest first.
    expect(await auditActions(tenant, customerId)).toEqual([
      'export_downloaded',
      'export_requested',
      'updated',
      'created',
    ]);
    await call(tenant.token, 'GET', ready?.downloadUrl as string).then((r) => r.arrayBuffer());
    expect(await auditActions(tenant, customerId)).toEqual([
      'export_downloaded',
      'export_downloaded',
      'export_requested',
      'updated',
      'created',
    ]);
  });

  it("holds no other customer's canary in any archive of three accounts", async () => {
    const archives: { canary: string; entries: Map<string, Buffer> }[] = [];
    for (const tenant of tenants) {
      const id = await requestAndBuild(tenant);
      const response = await call(tenant.token, 'GET', `/api/v1/exports/${id}/download`);
      expect(response.status).toBe(200);
      archives.push({
        canary: tenant.customer.canary,
        entries: await readZip(Buffer.from(await response.arrayBuffer())),
      });
    }
    const canaries = tenants.flatMap((t) => [t.customer.canary, t.sibling.canary]);
    for (const { canary, entries } of archives) {
      const all = [...entries.values()].map((b) => b.toString('utf8')).join('\n');
      expect(all).toContain(canary);
      for (const foreign of canaries.filter((c) => c !== canary))
        expect(all).not.toContain(foreign);
    }
  });

  it('refuses unauthenticated, foreign, unpermitted, failed and expired downloads and audits none', async () => {
    const [owner, other] = tenants as [Tenant, Tenant];
    const customerId = owner.sibling.customerId;
    const id = await requestAndBuild(owner, customerId);
    const url = `/api/v1/exports/${id}/download`;
    const before = await auditActions(owner, customerId);

    expect((await call(undefined, 'GET', url)).status).toBe(401);
    const foreign = await call(other.token, 'GET', url);
    expect(foreign.status).toBe(404);
    expect((await json(foreign)).code).toBe('export_not_found');
    // Another account cannot list, request or see the customer either.
    expect((await call(other.token, 'GET', `/api/v1/customers/${customerId}/exports`)).status).toBe(
      404,
    );
    expect(
      (await call(other.token, 'POST', `/api/v1/customers/${customerId}/exports`)).status,
    ).toBe(404);

    const agent = await server.services.agents.createUser(owner.account.accountId, {
      email: `${unique('agent')}@example.com`,
      name: 'Agent Without Export',
      password: 'a long enough password',
    });
    const agentToken = (
      await server.services.agents.createToken(owner.account.accountId, agent.id, 't')
    ).token;
    const unpermitted = await call(agentToken, 'GET', url);
    expect(unpermitted.status).toBe(403);
    expect((await json(unpermitted)).code).toBe('forbidden');
    expect((await call(agentToken, 'POST', `/api/v1/customers/${customerId}/exports`)).status).toBe(
      403,
    );

    const kysely = server.services.db.kysely;
    const accountId = owner.account.accountId;
    await kysely
      .updateTable('customer_exports')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute();
    const expired = await call(owner.token, 'GET', url);
    expect(expired.status).toBe(410);
    expect((await json(expired)).code).toBe('export_expired');
    const listed = await json(
      await call(owner.token, 'GET', `/api/v1/customers/${customerId}/exports`),
    );
    expect((listed.items as { id: string; state: string }[]).find((e) => e.id === id)?.state).toBe(
      'expired',
    );

    // The expire-export job, due at the expiry, deletes the file.
    const key = `exports/${accountId}/${id}.zip`;
    expect(await server.services.files.exists(key)).toBe(true);
    await kysely
      .updateTable('jobs')
      .set({ run_at: new Date(Date.now() - 1000).toISOString() })
      .where('account_id', '=', accountId)
      .where('kind', '=', 'expire-export')
      .where(sql`cast(payload as text)`, 'like', `%${id}%`)
      .execute();
    await server.services.worker.drain();
    expect(await server.services.files.exists(key)).toBe(false);
    const row = await kysely
      .selectFrom('customer_exports')
      .select(['state', 'file_key'])
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row).toEqual({ state: 'expired', file_key: null });
    expect((await call(owner.token, 'GET', url)).status).toBe(410);

    const failedId = await requestAndBuild(owner, customerId);
    await kysely
      .updateTable('customer_exports')
      .set({ state: 'failed', error: 'disk full' })
      .where('account_id', '=', accountId)
      .where('id', '=', failedId)
      .execute();
    const failed = await call(owner.token, 'GET', `/api/v1/exports/${failedId}/download`);
    expect(failed.status).toBe(409);
    expect((await json(failed)).code).toBe('export_failed');

    // One more request was made; not one of the refused downloads is on the trail.
    expect(await auditActions(owner, customerId)).toEqual(['export_requested', ...before]);
  });

  it('takes exportRetentionDays from the settings (1..365)', async () => {
    const tenant = tenants[2] as Tenant;
    const patch = (body: unknown) =>
      fetch(`${server.url}/api/v1/settings`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await patch({ exportRetentionDays: 0 });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('exportRetentionDays');
    expect((await patch({ exportRetentionDays: 30 })).status).toBe(200);
    const id = await requestAndBuild(tenant, tenant.sibling.customerId);
    const listed = await json(
      await call(tenant.token, 'GET', `/api/v1/customers/${tenant.sibling.customerId}/exports`),
    );
    const made = (listed.items as { id: string; readyAt: string; expiresAt: string }[]).find(
      (e) => e.id === id,
    );
    expect(Date.parse(made?.expiresAt ?? '') - Date.parse(made?.readyAt ?? '')).toBeCloseTo(
      30 * 86_400_000,
      -4,
    );
    const latest = await json(
      await call(
        tenant.token,
        'GET',
        `/api/v1/exports?customerIds=${tenant.sibling.customerId},${tenant.customer.customerId}`,
      ),
    );
    expect((latest.items as { id: string }[]).map((e) => e.id)).toContain(id);
    const bad = await call(tenant.token, 'GET', '/api/v1/exports?customerIds=nope');
    expect(bad.status).toBe(422);
  });
});
