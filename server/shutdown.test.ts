// SIGTERM as an orchestrator sends it, to a real Kunde process busy with 50 SMTP connections
// sending at once, a CSV import on its worker and one client trickling a DATA that never ends.
// The process must exit 0 within KUNDE_SHUTDOWN_GRACE_MS (the trickler is cut off, not waited
// for), hand the import's job back (the lease here is 10 minutes: a resume that waited for it
// would fail the test), and after a restart every message that got 250 is exactly one ticket and
// the import finishes with every row created once. An HTTP upload still arriving when the
// signal comes is answered 201 and kept.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKundeProcess, type KundeProcess } from '../bench/kunde-process.ts';
import type { Principal } from './agents/principal.ts';
import { createServices } from './services.ts';
import { createTestDb, testDialects, type TestDb } from './test/databases.ts';
import { createBareAccount, createTestAccount } from './test/factories.ts';
import { RawSmtpClient } from './test/smtp-client.ts';

const GRACE_MS = 4000;
const CONNECTIONS = 50;
const MESSAGES = 400;
const IMPORT_ROWS = 30_000;
/** SIGTERM once this many messages got 250 and the import has committed a batch. */
const SIGTERM_AFTER = 60;

const messageId = (i: number) => `<shutdown-${i}@shutdown-test.kunde>`;
const mail = (i: number) =>
  [
    `From: Sender ${i} <sender${i}@shutdown-test.example>`,
    'To: support@shutdown-test.no',
    `Subject: Shutdown ${i}`,
    `Message-ID: ${messageId(i)}`,
    '',
    `Message number ${i}.`,
  ].join('\r\n');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testDialects())('graceful shutdown on %s', (dialect) => {
  let db: TestDb;
  let dataDir: string;
  let principal: Principal;
  let apiToken: string;
  let kunde: KundeProcess | undefined;

  const start = (logLevel = 'warn') =>
    startKundeProcess({
      dataDir,
      databaseUrl: 'DATABASE_URL' in db.env ? db.env.DATABASE_URL : undefined,
      logLevel,
      env: {
        KUNDE_SHUTDOWN_GRACE_MS: String(GRACE_MS),
        KUNDE_JOB_LEASE_MS: '600000',
        KUNDE_IMPORT_BATCH_SIZE: '200',
        SMTP_MAX_CONNECTIONS_PER_IP: '100',
        SMTP_MESSAGES_PER_MINUTE_PER_IP: '100000',
      },
    });

  beforeAll(async () => {
    db = await createTestDb(dialect);
    dataDir =
      'DATA_DIR' in db.env
        ? db.env.DATA_DIR
        : fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-shutdown-'));
    const services = createServices(db, { dataDir });
    ({ principal } = await createBareAccount(services, {
      supportAddresses: ['support@shutdown-test.no'],
    }));
    const uploader = await createTestAccount(services);
    apiToken = (
      await services.agents.createToken(uploader.accountId, uploader.admin.userId ?? '', 't')
    ).token;
  });
  afterAll(async () => {
    await kunde?.stop();
    await db.destroy();
    if (!('DATA_DIR' in db.env)) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * A CSV upload whose first half is sent now; `finish()` sends the rest and answers the status
   * and body of the reply.
   */
  function startUpload(port: number) {
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/customer-imports',
      agent: false,
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'text/csv' },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.on('response', (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
    });
    request.write('email,first_name\r\nslow.upload@shutdown-test.example,Slow\r\n');
    return {
      finish: () => {
        request.end('second.upload@shutdown-test.example,Second\r\n');
        return answered;
      },
    };
  }

  const importRow = async (id: string) =>
    db.kysely
      .selectFrom('customer_imports')
      .selectAll()
      .where('account_id', '=', principal.accountId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('finishes what it accepted, hands the import back and exits 0 within the grace period', async () => {
    // The import is queued before the process starts; its worker claims it at once.
    const services = createServices(db, { dataDir });
    const lines = ['email,first_name'];
    for (let i = 0; i < IMPORT_ROWS; i++) lines.push(`person${i}@import-shutdown.example,P${i}`);
    const uploaded = await services.imports.upload(principal, {
      filename: 'shutdown.csv',
      body: Readable.from([lines.join('\r\n')]),
    });
    const importId = uploaded.import.id;
    await services.imports.start(principal, importId, {
      mode: 'create',
      dryRun: false,
      overwriteEmpty: false,
    });

    kunde = await start('info');
    const running = kunde;
    const pending = Array.from({ length: MESSAGES }, (_, i) => i);
    const acked: number[] = [];
    const refused: number[] = [];
    const sender = async () => {
      const { client, greeting } = await RawSmtpClient.connect(running.smtpPort);
      if (greeting.code !== 220) return client.destroy();
      for (let i = pending.shift(); i !== undefined; i = pending.shift()) {
        const reply = await client.send(
          `sender${i}@shutdown-test.example`,
          ['support@shutdown-test.no'],
          mail(i),
        );
        if (reply.code !== 250) {
          refused.push(reply.code);
          break;
        }
        acked.push(i);
      }
      client.destroy();
    };
    // A DATA that never ends: without the cut-off, shutdown would wait for it.
    const trickler = await RawSmtpClient.connect(running.smtpPort);
    await trickler.client.command('MAIL FROM:<slow@shutdown-test.example>');
    await trickler.client.command('RCPT TO:<support@shutdown-test.no>');
    expect((await trickler.client.command('DATA')).code).toBe(354);
    await trickler.client.write('Subject: Shutdown slow\r\n\r\n');
    const trickle = setInterval(() => void trickler.client.write('x'), 200);

    const senders = Promise.all(Array.from({ length: CONNECTIONS }, sender));
    for (let waited = 0; waited < 20_000; waited += 50) {
      const progress = Number((await importRow(importId)).processed_rows);
      if (acked.length >= SIGTERM_AFTER && progress > 0) break;
      await sleep(50);
    }
    expect(acked.length).toBeGreaterThanOrEqual(SIGTERM_AFTER);
    const upload = startUpload(running.port);
    // In flight means the server is writing it (an import's `.part` file exists), not merely
    // sent: on a busy machine a request sent 100 ms before the signal can arrive after it (503).
    // (On PostgreSQL the files are in the database: there is nothing to watch, so 100 ms.)
    const files = path.join(dataDir, 'files');
    const receiving = () =>
      fs
        .readdirSync(files, { recursive: true })
        .some((name) => /^imports\/.*\.csv\.part$/.test(String(name)));
    if (fs.existsSync(files))
      for (let waited = 0; !receiving() && waited < 3000; waited += 20) await sleep(20);
    else await sleep(100);
    const ackedAtSignal = acked.length;
    const signalled = Date.now();
    const stopped = running.stop();
    await sleep(500);
    const inFlight = await upload.finish();
    await stopped;
    const exitMs = Date.now() - signalled;
    kunde = undefined;
    clearInterval(trickle);
    await senders;
    trickler.client.destroy();
    expect(await running.exited).toBe(0);
    expect(exitMs).toBeLessThan(GRACE_MS);
    // The upload in flight at the signal was answered, and what it answered is kept.
    expect(inFlight.status, inFlight.body).toBe(201);
    const uploadId = (JSON.parse(inFlight.body) as { import: { id: string } }).import.id;
    const kept = await db.kysely
      .selectFrom('customer_imports')
      .select(['total_rows', 'status'])
      .where('id', '=', uploadId)
      .executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ status: 'preview' });

    // The trickler was cut off (and only that); the database closed cleanly.
    // (The log reaches the file through a pipe: give its last line a moment.)
    let report: { cut: string[]; databaseClosed: boolean } | undefined;
    for (let tries = 0; !report && tries < 20; tries++, await sleep(50)) {
      const line = fs
        .readFileSync(path.join(dataDir, 'kunde.log'), 'utf8')
        .split('\n')
        .find((text) => text.includes('"msg":"shut down"'));
      report = line ? (JSON.parse(line) as typeof report) : undefined;
    }
    expect(report).toMatchObject({ cut: ['smtp'], databaseClosed: true });
    // Mid-way, handed back: queued again, no lease held, the attempt not counted.
    const midway = await importRow(importId);
    expect(Number(midway.processed_rows)).toBeGreaterThan(0);
    expect(Number(midway.processed_rows)).toBeLessThan(IMPORT_ROWS);
    const job = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'locked_by', 'attempts'])
      .where('account_id', '=', principal.accountId)
      .where('kind', '=', 'customer-import')
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'queued', locked_by: null, attempts: 0 });
    // Senders after the signal were told so (421) or found the port closed (0), never lost.
    expect(refused.every((code) => code === 421 || code === 0)).toBe(true);

    // After a restart: the import resumes, and every 250 is a ticket.
    kunde = await start();
    let status = '';
    let messages: { email_message_id: string | null }[] = [];
    for (let waited = 0; waited < 20_000; waited += 200) {
      status = (await importRow(importId)).status;
      messages = await db.kysely
        .selectFrom('ticket_messages')
        .select('email_message_id')
        .where('account_id', '=', principal.accountId)
        .where('email_message_id', 'like', '<shutdown-%')
        .execute();
      const got = new Set(messages.map((m) => m.email_message_id));
      if (status === 'done' && acked.every((i) => got.has(messageId(i)))) break;
      await sleep(200);
    }
    const done = await importRow(importId);
    expect(done).toMatchObject({ status: 'done' });
    expect({
      processed: Number(done.processed_rows),
      created: Number(done.created_count),
      failed: Number(done.failed_count),
    }).toEqual({ processed: IMPORT_ROWS, created: IMPORT_ROWS, failed: 0 });
    const imported = await db.kysely
      .selectFrom('customer_identities')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', principal.accountId)
      .where('value', 'like', '%@import-shutdown.example')
      .executeTakeFirstOrThrow();
    expect(Number(imported.count)).toBe(IMPORT_ROWS);

    const perMessage = new Map<string, number>();
    for (const m of messages) {
      const id = m.email_message_id ?? '';
      perMessage.set(id, (perMessage.get(id) ?? 0) + 1);
    }
    const lost = acked.filter((i) => !perMessage.has(messageId(i)));
    const doubled = [...perMessage].filter(([, n]) => n > 1).map(([id]) => id);
    expect({ lost, doubled }).toEqual({ lost: [], doubled: [] });
    const slow = await db.kysely
      .selectFrom('tickets')
      .select('id')
      .where('account_id', '=', principal.accountId)
      .where('subject', '=', 'Shutdown slow')
      .execute();
    expect(slow).toEqual([]);
    console.log(
      `${dialect}: exited 0 in ${exitMs} ms after SIGTERM (grace ${GRACE_MS} ms); ` +
        `${acked.length} messages answered 250 (${ackedAtSignal} before the signal), ` +
        `${refused.length} connections refused after it; import handed back at row ` +
        `${midway.processed_rows} of ${IMPORT_ROWS}, resumed to done`,
    );
  }, 60_000);
});
