// Who sees what (issue 13 item 3) on the surfaces that hand out or remove a customer, over real
// HTTP on both databases, with a scoped agent's API token and session: data archives (request,
// list, the customer list's buttons, download), erasure (dry run and request), imports (refused
// up front: an import needs the whole account) and the CSV export's columns. Out of scope is the
// 404 a missing customer gets, and nothing is written for a refused request.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_NEEDS_SCOPE_ALL } from '../imports/import.service.ts';
import { testDialects } from '../test/databases.ts';
import { ids, scopeWorld, type ScopeWorld } from './surfaces.testkit.ts';

const CSV = path.join(import.meta.dirname, '../imports/fixtures/rows-lf.csv');

describe.each(testDialects())(
  'the scope on archives, erasure, imports, exports (%s)',
  (dialect) => {
    let w: ScopeWorld;
    const as = (method: string, url: string, body?: unknown) =>
      w.call(w.agent.token, method, url, body);
    let exportOf: Record<'served' | 'other', string>;

    beforeAll(async () => {
      w = await scopeWorld(dialect);
      // Archives the administrator asked for (still being prepared: no worker runs here).
      const request = async (id: string) =>
        (await w.services.exports.request(w.admin, id)).export.id;
      exportOf = {
        served: await request(w.customers.served),
        other: await request(w.customers.other),
      };
    }, 60_000);
    afterAll(() => w.server.close());

    it('archives: a customer out of scope has none to request, list or download', async () => {
      const { served, other } = w.customers;
      for (const [method, url] of [
        ['POST', `/api/v1/customers/${other}/exports`],
        ['GET', `/api/v1/customers/${other}/exports`],
        ['POST', `/api/v1/customers/${w.customers.elsewhere}/exports`],
        ['POST', `/api/v1/customers/${w.neighbour.customerIds[0] ?? ''}/exports`],
      ] as const) {
        const answer = await as(method, url);
        expect(answer, `${method} ${url}`).toMatchObject({
          status: 404,
          body: { code: 'customer_not_found' },
        });
      }
      // The download of one out of scope is "not found" before its state says anything, while
      // the agent's own customer's unfinished archive is "not ready".
      expect(await as('GET', `/api/v1/exports/${exportOf.other}/download`)).toMatchObject({
        status: 404,
        body: { code: 'export_not_found' },
      });
      expect(await as('GET', `/api/v1/exports/${exportOf.served}/download`)).toMatchObject({
        status: 409,
        body: { code: 'export_not_ready' },
      });
      // The customer list's buttons ask for several customers: those out of scope are left out.
      const latest = await as('GET', `/api/v1/exports?customerIds=${served},${other}`);
      expect(ids(latest)).toEqual([exportOf.served]);
      expect(ids(await as('GET', `/api/v1/customers/${served}/exports`))).toEqual([
        exportOf.served,
      ]);
      // The refused request queued nothing: the administrator sees the one archive.
      const theirs = await w.call(w.adminToken, 'GET', `/api/v1/customers/${other}/exports`);
      expect(ids(theirs)).toEqual([exportOf.other]);
    });

    it('erasure: the dry run and the request are not found out of scope, and nobody is erased', async () => {
      expect((await as('GET', `/api/v1/customers/${w.customers.served}/erasure`)).status).toBe(200);
      for (const key of ['other', 'elsewhere'] as const) {
        const id = w.customers[key];
        for (const method of ['GET', 'DELETE'] as const) {
          const url =
            method === 'GET' ? `/api/v1/customers/${id}/erasure` : `/api/v1/customers/${id}`;
          expect(await as(method, url), `${method} ${url}`).toMatchObject({
            status: 404,
            body: { code: 'customer_not_found' },
          });
        }
        const still = await w.call(w.adminToken, 'GET', `/api/v1/customers/${id}`);
        expect(still.body).toMatchObject({ id, status: 'active' });
      }
    });

    it('imports need the whole account: refused up front with 403 scope_all_required', async () => {
      const upload = (token: string) => {
        const form = new FormData();
        form.append('file', new Blob([fs.readFileSync(CSV)], { type: 'text/csv' }), 'rows-lf.csv');
        return fetch(`${w.server.url}/api/v1/customer-imports`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: form,
        });
      };
      const refused = await upload(w.agent.token);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({
        code: 'scope_all_required',
        detail: IMPORT_NEEDS_SCOPE_ALL,
        permission: 'scope.all',
      });
      const mine = await upload(w.adminToken);
      expect(mine.status).toBe(201);
      const adminImport = ((await mine.json()) as { import: { id: string } }).import.id;
      for (const [method, url, body] of [
        ['GET', '/api/v1/customer-imports'],
        ['GET', `/api/v1/customer-imports/${adminImport}`],
        ['POST', `/api/v1/customer-imports/${adminImport}/preview`, {}],
        ['POST', `/api/v1/customer-imports/${adminImport}/start`, { mode: 'upsert' }],
        ['GET', `/api/v1/customer-imports/${adminImport}/errors.csv`],
      ] as const) {
        expect(await as(method, url, body), `${method} ${url}`).toMatchObject({
          status: 403,
          body: { code: 'scope_all_required' },
        });
      }
      // The refused upload stored nothing: the account has the administrator's import only, still
      // in preview (the refused start did not start it).
      const list = await w.call(w.adminToken, 'GET', '/api/v1/customer-imports');
      expect(list.body.items).toEqual([
        expect.objectContaining({ id: adminImport, status: 'preview' }),
      ]);
      expect((await as('GET', '/api/v1/customer-imports/template.csv')).status).toBe(200);
    });

    it("the CSV export's free-form columns come only from customers in scope", async () => {
      await w.services.settings.update(w.accountId, { allowFreeformAttributes: true });
      await w.services.customers.update(w.admin, w.customers.other, {
        customAttributes: { hemmelig: 'ja' },
      });
      await w.services.customers.update(w.admin, w.customers.served, {
        customAttributes: { synlig: 'ja' },
      });
      const header = async (token: string) =>
        (await w.call(token, 'GET', '/api/v1/customers/export.csv')).text.split('\r\n')[0] ?? '';
      expect(await header(w.adminToken)).toContain('attribute:hemmelig');
      const scoped = await header(w.agent.token);
      expect(scoped).toContain('attribute:synlig');
      expect(scoped).not.toContain('hemmelig');
      // And its rows: the served organization's customer and the one at the served location,
      // nobody else's, while the administrator's export has them all.
      const rows = (await w.call(w.agent.token, 'GET', '/api/v1/customers/export.csv')).text;
      expect(rows).toContain('served');
      expect(rows).toContain('atlocation');
      expect(rows).not.toMatch(/other\S*@example\.org/);
      expect(rows).not.toMatch(/elsewhere\S*@example\.org/);
      const adminRows = (await w.call(w.adminToken, 'GET', '/api/v1/customers/export.csv')).text;
      expect(adminRows).toMatch(/other\S*@example\.org/);
    });

    it("customer types count only the customers in the agent's scope", async () => {
      const vip = await w.call(w.adminToken, 'POST', '/api/v1/customer-types', { name: 'VIP' });
      expect(vip.status).toBe(201);
      for (const id of [w.customers.served, w.customers.other, w.customers.elsewhere])
        await w.services.customers.update(w.admin, id, { typeId: vip.body.id as string });
      const count = async (token: string) =>
        (
          (await w.call(token, 'GET', '/api/v1/customer-types')).body.items as {
            name: string;
            customerCount: number;
          }[]
        ).find((t) => t.name === 'VIP')?.customerCount;
      expect(await count(w.adminToken)).toBe(3);
      expect(await count(w.agent.token)).toBe(1);
    });

    it("a scoped agent's session, and a token they make with it, carry the scope", async () => {
      const login = await fetch(`${w.server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: w.agent.email, password: w.agent.password }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const bySession = (method: string, url: string, body?: unknown) =>
        fetch(`${w.server.url}${url}`, {
          method,
          headers: {
            cookie,
            origin: w.server.url,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const other = `/api/v1/organizations/${w.organizations.other}/contacts`;
      expect((await bySession('GET', other)).status).toBe(404);
      const made = await bySession('POST', '/api/v1/tokens', { name: 'integration' });
      expect(made.status).toBe(201);
      const token = ((await made.json()) as { token: string }).token;
      const served = await w.call(
        token,
        'GET',
        `/api/v1/organizations/${w.organizations.served}/contacts`,
      );
      expect(ids(served)).toEqual([w.customers.served]);
      expect((await w.call(token, 'GET', other)).status).toBe(404);
      expect(
        (await w.call(token, 'POST', `/api/v1/customers/${w.customers.other}/exports`)).status,
      ).toBe(404);
    });
  },
);
