// How a worker stops, over a real database: a task that stops at its safe point hands its job
// back (queued, due now, its attempt not counted), one that finishes while the worker stops is
// done and not run again, and one that ignores the stop is released when the grace period is
// over, so another worker claims it at once instead of waiting out a long lease.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServices } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';
import { bindTask, defineTask, enqueue, STOPPED_EARLY } from './task.ts';
import { Worker } from './worker.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each run reports it started, then behaves as the test says. */
interface Script {
  started: () => void;
  behave: (stopping: () => boolean) => Promise<void | typeof STOPPED_EARLY>;
}

// A kind per test: a job one test hands back is not the next test's to run.
let kinds = 0;
const scriptedTask = () =>
  defineTask({
    kind: `test-stop-${++kinds}`,
    payload: z.object({}),
    attempts: 3,
    backoffMs: () => 0,
    run: async ({ stopping }, script: Script) => {
      script.started();
      return script.behave(stopping);
    },
  });

describe.each(testDialects())('stopping a worker on %s', (dialect) => {
  let db: TestDb;
  let accountId: string;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    accountId = (await createBareAccount(createServices(db))).principal.accountId;
  });
  afterAll(() => db.destroy());

  const jobRow = (id: string) =>
    db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts', 'locked_by', 'locked_until', 'last_error', 'run_at'])
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  /** Starts a worker (a 10-minute lease) on one queued job; answers once the task runs. */
  async function running(behave: Script['behave']) {
    const scripted = scriptedTask();
    const id = await enqueue(db.kysely, accountId, scripted, {});
    let started!: () => void;
    const didStart = new Promise<void>((resolve) => (started = resolve));
    const worker = new Worker(db, { leaseMs: 600_000, pollMs: 20 });
    worker.register(bindTask(scripted, { started, behave }));
    worker.start();
    await didStart;
    return { id, worker, scripted };
  }

  it('hands back a job whose task stopped at its safe point', async () => {
    const { id, worker } = await running(async (stopping) => {
      while (!stopping()) await sleep(10);
      return STOPPED_EARLY;
    });
    expect((await jobRow(id)).status).toBe('running');
    const before = Date.now();
    expect(await worker.stop(5000)).toBe('stopped');
    expect(Date.now() - before).toBeLessThan(2000);
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 0, locked_by: null, last_error: null });
    expect(Date.parse(row.run_at)).toBeLessThanOrEqual(Date.now());
  });

  it('marks done a job that finished while the worker stopped', async () => {
    const { id, worker } = await running(async () => {
      await sleep(100);
    });
    expect(await worker.stop(5000)).toBe('stopped');
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('releases a job whose task ignores the stop once the grace period is over', async () => {
    let finish!: () => void;
    const never = new Promise<void>((resolve) => (finish = resolve));
    const { id, worker, scripted } = await running(() => never);
    const before = Date.now();
    expect(await worker.stop(300)).toBe('released');
    const waited = Date.now() - before;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(2000);
    expect(await jobRow(id)).toMatchObject({
      status: 'queued',
      attempts: 0,
      locked_by: null,
      locked_until: null,
    });
    // Another worker claims it now, though the first one's lease had ten minutes left.
    const seen: string[] = [];
    const next = new Worker(db, { leaseMs: 600_000 });
    next.register(
      bindTask(scripted, { started: () => seen.push('again'), behave: () => Promise.resolve() }),
    );
    expect(await next.drain()).toBe(1);
    expect(seen).toEqual(['again']);
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 1 });
    // The cut-off task ending late changes nothing: the job is no longer its worker's.
    finish();
    await sleep(50);
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 1 });
  });
});
