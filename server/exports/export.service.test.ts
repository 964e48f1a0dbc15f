// Data archives against real databases: an export that dies in the middle of its zip leaves no
// file a download could serve and is finished after a restart; the erasure hook removes a
// customer's archives (rows in the transaction, files after it) and nothing else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { createServices, type Services } from '../services.ts';
import { LocalFileStore } from '../files/local-file-store.ts';
import { eraseCustomerExports } from './erase-exports.ts';
import { createCanaryCustomer, readZip } from './export.testkit.ts';

describe.each(testDialects())('customer data archives (service) on %s', (dialect) => {
  let db: TestDb;
  let dataDir: string;
  let services: Services;
  let account: TestAccount;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-exports-'));
    services = createServices(db, { dataDir });
    account = await createTestAccount(services);
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function download(s: Services, exportId: string): Promise<Map<string, Buffer>> {
    const { body } = await s.exports.download(account.admin, exportId);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return readZip(Buffer.concat(chunks));
  }

  async function exportRow(id: string) {
    return db.kysely
      .selectFrom('customer_exports')
      .selectAll()
      .where('account_id', '=', account.accountId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  it('an export that dies in the middle leaves no file, and a restart finishes it', async () => {
    const customer = await createCanaryCustomer(services, account.admin, unique('crash'));
    const { export: requested } = await services.exports.request(
      account.admin,
      customer.customerId,
    );
    const key = `exports/${account.accountId}/${requested.id}.zip`;

    // The attachment read breaks half-way through the zip, as a dying disk or process would.
    const read = services.files.read.bind(services.files);
    services.files.read = () =>
      new Readable({
        read() {
          this.push(Buffer.from('half of an attach'));
          this.destroy(new Error('simulated crash in the middle of the archive'));
        },
      });
    await services.worker.drain();
    services.files.read = read;
    expect((await exportRow(requested.id)).state).toBe('preparing');
    expect(await services.files.exists(key)).toBe(false);
    expect(await services.files.exists(`${key}.part`)).toBe(false);
    await expect(services.exports.download(account.admin, requested.id)).rejects.toMatchObject({
      code: 'export_not_ready',
    });
    const job = await db.kysely
      .selectFrom('jobs')
      .selectAll()
      .where('account_id', '=', account.accountId)
      .where('kind', '=', 'build-export')
      .where(sql`cast(payload as text)`, 'like', `%${requested.id}%`)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'queued', attempts: 1 });
    expect(job.last_error).toContain('simulated crash');

    // Then the process is killed during the next attempt: the job is left running under a
    // lease that runs out, with a half-written file beside where the archive goes.
    // (The local backend's unfinished file; the others leave none to find.)
    const local = services.files instanceof LocalFileStore ? services.files : undefined;
    if (local) {
      fs.mkdirSync(path.dirname(local.path(key)), { recursive: true });
      fs.writeFileSync(local.path(`${key}.part`), 'PK\u0003\u0004 half a zip');
    }
    await db.kysely
      .updateTable('jobs')
      .set({
        status: 'running',
        locked_by: 'a-node-that-died',
        locked_until: new Date(Date.now() - 1000).toISOString(),
      })
      .where('account_id', '=', account.accountId)
      .where('id', '=', job.id)
      .execute();

    // The restart: a new node on the same database and files takes the job over.
    const restarted = createServices(db, { dataDir });
    expect(await restarted.worker.drain()).toBeGreaterThanOrEqual(1);
    const row = await exportRow(requested.id);
    expect(row.state).toBe('ready');
    expect(await services.files.exists(`${key}.part`)).toBe(false);
    const entries = await download(restarted, requested.id);
    expect(
      entries.get(`tickets/${customer.ticketNumber}/attachments/0001-1-kvittering.txt`)?.toString(),
    ).toBe(`attachment bytes ${customer.canary}`);
    expect(Number(row.size)).toBe((await services.files.stat(key))?.size);
    // One archive, one ready email, whatever happened on the way.
    const mail = await db.kysely
      .selectFrom('outbox')
      .select('to_address')
      .where('account_id', '=', account.accountId)
      .where('message_id', 'like', `<export-${requested.id}@%`)
      .execute();
    expect(mail).toEqual([{ to_address: account.adminEmail }]);
  });

  it('the erasure hook deletes the rows in the transaction and the files after it', async () => {
    const customer = await createCanaryCustomer(services, account.admin, unique('erase'));
    const other = await createCanaryCustomer(services, account.admin, unique('keep'));
    const { export: ready } = await services.exports.request(account.admin, customer.customerId);
    const { export: kept } = await services.exports.request(account.admin, other.customerId);
    await services.worker.drain();
    const readyKey = `exports/${account.accountId}/${ready.id}.zip`;
    const keptKey = `exports/${account.accountId}/${kept.id}.zip`;
    expect(await services.files.exists(readyKey)).toBe(true);
    // One more is being prepared when the erasure comes.
    const { export: pending } = await services.exports.request(account.admin, customer.customerId);

    // A rolled-back erasure leaves rows and files as they were.
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await eraseCustomerExports(trx, services.files, account.accountId, customer.customerId);
        throw new Error('the rest of the erasure failed');
      }),
    ).rejects.toThrow('the rest of the erasure failed');
    expect((await exportRow(ready.id)).state).toBe('ready');
    expect(await services.files.exists(readyKey)).toBe(true);

    const erased = await db.kysely
      .transaction()
      .execute((trx) =>
        eraseCustomerExports(trx, services.files, account.accountId, customer.customerId),
      );
    expect(erased.count).toBe(2);
    await erased.removeFiles();
    expect(await services.files.exists(readyKey)).toBe(false);
    const left = await db.kysely
      .selectFrom('customer_exports')
      .select('id')
      .where('account_id', '=', account.accountId)
      .where('customer_id', '=', customer.customerId)
      .execute();
    expect(left).toEqual([]);
    // The archive that was being prepared is never written: its job finds no row.
    await services.worker.drain();
    expect(await services.files.exists(`exports/${account.accountId}/${pending.id}.zip`)).toBe(
      false,
    );
    // Another customer's archive is untouched.
    expect((await exportRow(kept.id)).state).toBe('ready');
    expect(await services.files.exists(keptKey)).toBe(true);
  });
});
