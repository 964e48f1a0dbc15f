// Customer merges under load and at the edges, over real HTTP and SMTP on each dialect (issue
// 15): emails from the duplicate's address sent while it is being merged all end as tickets of
// the survivor (none lost, none left on the merged-away id); a duplicate with 10,000 tickets is
// merged and undone in one transaction each; erasing the survivor takes the journal and the
// merged-away row with it, and erasing the merged-away id is refused naming the survivor.
/* eslint-disable @typescript-eslint/restrict-template-expressions -- the bodies are untyped JSON
   and the ids in the paths are strings the API gave out */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpIntake } from '../intake/smtp.ts';
import { insertClosedTickets } from '../test/bulk-tickets.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { sendRawMail } from '../test/smtp-client.ts';

type Json = Record<string, unknown>;
const SUPPORT = 'support@merge-race.no';

describe.each(testDialects())('customer merge at scale on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let token: string;
  let intake: SMTPServer;
  let port: number;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
    await server.services.settings.update(account.accountId, { supportAddresses: [SUPPORT] });
    intake = createSmtpIntake({
      db: server.services.db.kysely,
      intake: server.services.emailIntake,
      log: () => undefined,
    });
    intake.listen(0, '127.0.0.1');
    await once(intake.server, 'listening');
    port = (intake.server.address() as AddressInfo).port;
  }, 60_000);
  afterAll(async () => {
    intake?.close();
    await server?.close();
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  }
  async function ok(method: string, path: string, body?: unknown, status = 200) {
    const r = await call(method, path, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(status);
    return r.body;
  }
  const customer = (email: string) => ok('POST', '/api/v1/customers', { email }, 201);
  const ticketsOf = async (id: unknown) => {
    const rows = await server.services.db.kysely
      .selectFrom('tickets')
      .select(['id', 'subject'])
      .where('account_id', '=', account.accountId)
      .where('requester_id', '=', String(id))
      .execute();
    return rows;
  };

  it('lands every email from the duplicate’s address racing the merge on the survivor', async () => {
    for (let round = 0; round < 4; round++) {
      const from = `${unique('racer')}@race.example`;
      const s = await customer(`${unique('keeper')}@race.example`);
      const d = await customer(from);
      const mail = (n: number) =>
        sendRawMail({
          port,
          from,
          to: SUPPORT,
          raw: Buffer.from(
            `From: Racer <${from}>\nTo: ${SUPPORT}\nSubject: Race ${round}.${n}\n` +
              `Message-ID: <${unique('m')}@race.example>\n\nHello ${n}\n`,
          ),
        });
      // The mails go out around the merge: before, during, after it commits.
      const [first, merged, second, third] = await Promise.all([
        mail(1),
        call('POST', `/api/v1/customers/${s.id}/merge`, { duplicateId: d.id }),
        mail(2),
        mail(3),
      ]);
      expect([first.code, second.code, third.code]).toEqual([250, 250, 250]);
      expect(merged.status, JSON.stringify(merged.body)).toBe(200);
      expect(await ticketsOf(d.id)).toEqual([]);
      expect((await ticketsOf(s.id)).map((t) => t.subject).sort()).toEqual([
        `Race ${round}.1`,
        `Race ${round}.2`,
        `Race ${round}.3`,
      ]);
    }
  }, 60_000);

  it('merges and undoes a duplicate with 10,000 tickets, each in one transaction', async () => {
    const s = await customer(`${unique('big')}@scale.example`);
    const d = await customer(`${unique('bigger')}@scale.example`);
    await insertClosedTickets(
      server.services.db.kysely,
      account.accountId,
      { id: String(d.id), email: String(d.email) },
      10_000,
      1,
    );
    const started = performance.now();
    const merged = await ok('POST', `/api/v1/customers/${s.id}/merge`, { duplicateId: d.id });
    const mergeMs = performance.now() - started;
    expect(merged.moved).toMatchObject({ tickets: 10_000, messages: 10_000 });
    expect((await ticketsOf(s.id)).length).toBe(10_000);
    expect(await ticketsOf(d.id)).toEqual([]);
    const undoStarted = performance.now();
    await ok('POST', `/api/v1/customer-merges/${(merged.merge as Json).id}/undo`);
    const undoMs = performance.now() - undoStarted;
    expect((await ticketsOf(d.id)).length).toBe(10_000);
    expect(await ticketsOf(s.id)).toEqual([]);
    console.log(
      `${dialect}: 10,000-ticket merge ${mergeMs.toFixed(0)} ms, undo ${undoMs.toFixed(0)} ms`,
    );
  }, 120_000);

  it('erases the journal and the merged-away row with the survivor; the pointer alone is refused', async () => {
    const kysely = server.services.db.kysely;
    const s = await customer(`${unique('erase.keep')}@erase.example`);
    const gone = `${unique('erase.dup')}@erase.example`;
    const d = await customer(gone);
    const merged = await ok('POST', `/api/v1/customers/${s.id}/merge`, { duplicateId: d.id });
    const refused = await call('DELETE', `/api/v1/customers/${d.id}`);
    expect([refused.status, refused.body.code, refused.body.mergedInto]).toEqual([
      409,
      'customer_merged',
      s.id,
    ]);
    await ok('DELETE', `/api/v1/customers/${s.id}`, undefined, 202);
    await server.services.worker.drain();
    const left = await kysely
      .selectFrom('customers')
      .select('id')
      .where('account_id', '=', account.accountId)
      .where('id', 'in', [String(s.id), String(d.id)])
      .execute();
    expect(left).toEqual([]);
    const journal = await kysely
      .selectFrom('customer_merges')
      .select('id')
      .where('account_id', '=', account.accountId)
      .where('id', '=', String((merged.merge as Json).id))
      .execute();
    expect(journal).toEqual([]);
    const record = await call('GET', `/api/v1/customer-merges/${(merged.merge as Json).id}`);
    expect(record.status).toBe(404);
    const deleted = await ok('GET', '/api/v1/deleted-customers?limit=200');
    const numbers = (deleted.items as Json[]).map((x) => x.customerNumber);
    expect(numbers).toEqual(expect.arrayContaining([s.number, d.number]));
  }, 60_000);
});
