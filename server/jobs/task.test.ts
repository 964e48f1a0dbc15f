// Typed tasks over a real database: enqueue takes the attempts from the task, the worker hands
// run() the parsed payload, and a payload that does not fit the task's schema (a corrupt row, or
// one written by another version) ends its job failed at once with the reason, instead of
// crashing the worker or being retried until its attempts run out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { duplicateBackfillTask } from '../duplicates/duplicate-backfill.task.ts';
import { buildExportTask, expireExportTask } from '../exports/export.task.ts';
import { importTask } from '../imports/import.task.ts';
import { processEmailTask } from '../intake/process-email.task.ts';
import { sendEmailTask } from '../mail/send-email.task.ts';
import { createServices, type Services } from '../services.ts';
import { taskList } from '../tasks.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';
import { insertJob } from './queue.ts';
import { bindTask, defineTask, enqueue } from './task.ts';
import { Worker } from './worker.ts';

const counted = defineTask({
  kind: 'test-count',
  payload: z.object({ n: z.number().int() }),
  attempts: 4,
  backoffMs: () => 0,
  run: async ({ payload }, seen: number[]) => {
    seen.push(payload.n);
    return Promise.resolve();
  },
});

describe.each(testDialects())('typed tasks on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  let accountId: string;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
    accountId = (await createBareAccount(services)).principal.accountId;
  });
  afterAll(async () => {
    await db.destroy();
  });

  const job = (id: string) =>
    db.kysely
      .selectFrom('jobs')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  const countJobs = async () =>
    (
      await db.kysely
        .selectFrom('jobs')
        .select('id')
        .where('account_id', '=', accountId)
        .where('kind', '=', 'test-count')
        .execute()
    ).length;

  it('keeps the kinds and attempts that jobs queued by older versions carry', () => {
    const tasks = taskList({ ...services, smtpUrl: 'smtp://127.0.0.1:1' });
    expect(tasks.map((t) => t.kind)).toEqual([
      'customer-import',
      'process-inbound-email',
      'send-email',
      'build-export',
      'expire-export',
      'customer-erasure',
      'retention-purge',
      'deliver-webhooks',
      'expire-import-upload',
      'duplicate-backfill',
    ]);
    expect(
      [importTask, processEmailTask, sendEmailTask, buildExportTask, expireExportTask].map(
        (t) => t.attempts,
      ),
    ).toEqual([3, 10, 6, 3, 5]);
    expect(tasks.map((t) => [1, 2, 3].map((n) => t.backoffMs(n)))).toEqual([
      [5000, 10_000, 15_000],
      [20_000, 40_000, 80_000],
      [30_000, 60_000, 120_000],
      [15_000, 30_000, 45_000],
      [60_000, 120_000, 180_000],
      [60_000, 120_000, 240_000],
      [60_000, 120_000, 180_000],
      [30_000, 60_000, 120_000],
      [60_000, 120_000, 180_000],
      [60_000, 120_000, 240_000],
    ]);
    // The duplicate backfill migration writes its jobs with the task's kind and attempts.
    expect([duplicateBackfillTask.kind, duplicateBackfillTask.attempts]).toEqual([
      'duplicate-backfill',
      10,
    ]);
  });

  it('queues with the task’s attempts and runs with the parsed payload', async () => {
    const seen: number[] = [];
    const worker = new Worker(db).register(bindTask(counted, seen));
    const id = await enqueue(db.kysely, accountId, counted, { n: 7 });
    expect(await job(id)).toMatchObject({ kind: 'test-count', max_attempts: 4, status: 'queued' });
    expect(await worker.drain()).toBe(1);
    expect(seen).toEqual([7]);
    expect((await job(id)).status).toBe('done');
  });

  it('refuses to queue a payload that does not fit the task', async () => {
    // The type forbids it; a value that slipped past the type still never reaches the table.
    const before = await countJobs();
    const bad = JSON.parse('{"n":"seven"}') as { n: number };
    await expect(enqueue(db.kysely, accountId, counted, bad)).rejects.toThrow();
    expect(await countJobs()).toBe(before);
  });

  it('ends a job whose payload does not fit failed at once, with the reason, and goes on', async () => {
    const seen: number[] = [];
    const logged: string[] = [];
    const worker = new Worker(db, { log: (message) => logged.push(message) }).register(
      bindTask(counted, seen),
    );
    const wrong = await insertJob(db.kysely, accountId, {
      kind: 'test-count',
      payload: '{"n":"seven"}',
      maxAttempts: 4,
      runAt: new Date(Date.now() - 2000),
    });
    // PostgreSQL's json column refuses such a row; SQLite's text column holds whatever it is given.
    const notJson =
      dialect === 'sqlite'
        ? await insertJob(db.kysely, accountId, {
            kind: 'test-count',
            payload: '{n: 7',
            maxAttempts: 4,
            runAt: new Date(Date.now() - 1000),
          })
        : undefined;
    const good = await enqueue(db.kysely, accountId, counted, { n: 8 });
    expect(await worker.drain()).toBe(notJson ? 3 : 2);
    // Nothing is left to retry: a second pass finds no due job.
    expect(await worker.drain()).toBe(0);
    expect(seen).toEqual([8]);
    expect(await job(wrong)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await job(wrong)).last_error).toMatch(/does not fit the test-count task: n: .*number/);
    if (notJson) {
      expect(await job(notJson)).toMatchObject({ status: 'failed', attempts: 1 });
      expect((await job(notJson)).last_error).toMatch(/payload is not JSON/);
    }
    expect((await job(good)).status).toBe('done');
    expect(logged.filter((m) => m.includes(wrong))).toHaveLength(1);
    if (notJson) expect(logged.filter((m) => m.includes(notJson))).toHaveLength(1);
  });

  it('fails a real customer-import job whose import id is not a string on the services’ worker', async () => {
    const id = await insertJob(db.kysely, accountId, {
      kind: 'customer-import',
      payload: '{"importId":42}',
      maxAttempts: 3,
      runAt: new Date(),
    });
    await services.worker.drain();
    expect(await job(id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await job(id)).last_error).toMatch(/customer-import task: importId/);
  });
});
