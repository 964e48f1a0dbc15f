// Duplicate suggestions for customers written before upkeep existed (an account upgraded from
// an older Kunde, a database restored from an old backup): the account's live customers are
// walked in id order, a batch a short transaction, and each batch is kept up as upkeep keeps a
// write (keepStoredCustomers: the same keys, lookups and pairs). The position is committed with
// the batch, so a walk cut off resumes where it was; walking again adds nothing, dismissed
// pairs stay dismissed and pairs already found keep their reasons. A batch never holds the
// SQLite write lock for long, and the walk pauses between batches so that a writer of another
// process (an email arriving) gets the lock within a batch.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import { enqueue } from '../jobs/task.ts';
import * as repo from './duplicate-backfill.repository.ts';
import { duplicateBackfillTask } from './duplicate-backfill.task.ts';
import { keepStoredCustomers } from './duplicate-upkeep.ts';

/** Customers a batch: a few hundred milliseconds of the write lock (see the benchmark). */
export const BACKFILL_BATCH = 1000;
/** Between batches, long enough for a waiting writer's busy handler to get its turn. */
const PAUSE_MS = 20;

export interface BackfillState {
  accountId: string;
  customersDone: number;
  finished: boolean;
  requestedAt: string;
  finishedAt: string | null;
}

export interface BackfillRunOptions {
  /** Checked before each batch: true stops the walk there ('stopped'). */
  stopping?: () => boolean;
  /** After each committed batch (progress; the crash tests throw here). */
  afterBatch?: (state: BackfillState) => void | Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function stateOf(row: repo.BackfillRow): BackfillState {
  return {
    accountId: row.account_id,
    customersDone: Number(row.customers_done),
    finished: row.finished_at !== null,
    requestedAt: row.requested_at,
    finishedAt: row.finished_at,
  };
}

export class DuplicateBackfill {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly notify: () => void = () => undefined,
    private readonly batchSize = BACKFILL_BATCH,
  ) {}

  /**
   * Starts the account's backfill (again) from its first customer and queues the job that
   * runs it, unless one is queued or running already (that one then walks from the start).
   */
  async request(accountId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await repo.requestBackfill(trx, accountId, nowIso());
      if (!(await repo.hasOpenJob(trx, accountId, duplicateBackfillTask.kind)))
        await enqueue(trx, accountId, duplicateBackfillTask, {});
    });
    this.notify();
  }

  async state(accountId: string): Promise<BackfillState | undefined> {
    const row = await repo.findBackfill(this.db, accountId);
    return row && stateOf(row);
  }

  /**
   * Keeps up the next batch in one transaction and moves the position past it. Undefined when
   * the account has no backfill; a finished one is left as it is.
   */
  async runBatch(accountId: string): Promise<BackfillState | undefined> {
    return await this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const row = await repo.lockBackfill(trx, accountId, now);
      if (!row || row.finished_at !== null) return row && stateOf(row);
      const customers = await repo.customersAfter(trx, accountId, row.after_id, this.batchSize);
      await keepStoredCustomers(trx, accountId, customers);
      const next = {
        after_id: customers.at(-1)?.id ?? row.after_id,
        customers_done: Number(row.customers_done) + customers.length,
        finished_at: customers.length < this.batchSize ? now : null,
        updated_at: now,
      };
      await repo.advanceBackfill(trx, accountId, next);
      return stateOf({ ...row, ...next });
    });
  }

  /** Walks from the position on the row to the last customer, or until `stopping()`. */
  async run(accountId: string, options: BackfillRunOptions = {}): Promise<'done' | 'stopped'> {
    for (let first = true; ; first = false) {
      if (options.stopping?.()) return 'stopped';
      if (!first) await sleep(PAUSE_MS);
      const state = await this.runBatch(accountId);
      if (!state) return 'done';
      await options.afterBatch?.(state);
      if (state.finished) return 'done';
    }
  }
}
