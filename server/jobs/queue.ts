// The jobs table: enqueue, claim with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL, so any
// number of nodes can work one queue), extend the lease while working, finish or retry.
// A worker that dies leaves its lease to run out; the next claim takes the job over.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../db/connect.ts';
import type { Database, JobRow } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';

type Conn = Kysely<Database> | Transaction<Database>;

/** Writes one queued job; features queue through task.ts's enqueue(), which fills this in. */
export async function insertJob(
  db: Conn,
  accountId: string,
  job: { kind: string; payload: string; maxAttempts: number; runAt: Date },
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('jobs')
    .values({
      account_id: accountId,
      id,
      kind: job.kind,
      payload: job.payload,
      status: 'queued',
      attempts: 0,
      max_attempts: job.maxAttempts,
      run_at: job.runAt.toISOString(),
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/**
 * Withdraws a job no worker has claimed yet (a safety net whose work was done another way).
 * Answers whether it was withdrawn; a claimed or finished job is left alone.
 */
export async function cancelQueuedJob(
  db: Conn,
  accountId: string,
  jobId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('jobs')
    .where('account_id', '=', accountId)
    .where('id', '=', jobId)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Takes the next due job (or one whose worker's lease ran out) for this worker. */
export async function claimJob(
  db: Kysely<Database>,
  dialect: Dialect,
  workerId: string,
  leaseMs: number,
  kinds: string[],
): Promise<JobRow | undefined> {
  const now = new Date();
  const nowText = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const due = db
    .selectFrom('jobs')
    .select(['account_id', 'id'])
    .where('kind', 'in', kinds)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', nowText)]),
        eb.and([eb('status', '=', 'running'), eb('locked_until', '<', nowText)]),
      ]),
    )
    .orderBy('run_at')
    .limit(1);
  const picked = dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
  const row = await db
    .updateTable('jobs')
    .set({
      status: 'running',
      locked_by: workerId,
      locked_until: until,
      attempts: sql<number>`attempts + 1`,
      updated_at: nowText,
    })
    .where(sql<boolean>`(account_id, id) = (${picked})`)
    .returningAll()
    .executeTakeFirst();
  return row;
}

export async function extendLease(
  db: Conn,
  job: JobRow,
  workerId: string,
  leaseMs: number,
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: new Date(Date.now() + leaseMs).toISOString() })
    .where('account_id', '=', job.account_id)
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function finishJob(db: Conn, job: JobRow): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', locked_by: null, locked_until: null, updated_at: nowIso() })
    .where('account_id', '=', job.account_id)
    .where('id', '=', job.id)
    .execute();
}

/**
 * Hands a claimed job back, claimable at once by any worker, as if this claim never happened
 * (the attempt is not counted): a worker that stops mid-job releases it rather than leaving
 * the next node to wait out the lease. Only while the job is still this worker's.
 */
export async function releaseJob(db: Conn, job: JobRow, workerId: string): Promise<boolean> {
  const now = nowIso();
  const result = await db
    .updateTable('jobs')
    .set({
      status: 'queued',
      attempts: sql<number>`attempts - 1`,
      run_at: now,
      locked_by: null,
      locked_until: null,
      updated_at: now,
    })
    .where('account_id', '=', job.account_id)
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends a job failed now, whatever attempts it has left: retrying would fail the same way. */
export async function abandonJob(db: Conn, job: JobRow, error: string): Promise<void> {
  await failJob(db, { ...job, attempts: job.max_attempts }, error, 0);
}

/** Schedules a retry after `delayMs`, or marks the job failed when its attempts are used up. */
export async function failJob(
  db: Conn,
  job: JobRow,
  error: string,
  delayMs: number,
): Promise<'retry' | 'failed'> {
  const outcome = job.attempts >= job.max_attempts ? 'failed' : 'retry';
  await db
    .updateTable('jobs')
    .set({
      status: outcome === 'failed' ? 'failed' : 'queued',
      run_at: new Date(Date.now() + delayMs).toISOString(),
      locked_by: null,
      locked_until: null,
      last_error: error.slice(0, 2000),
      updated_at: nowIso(),
    })
    .where('account_id', '=', job.account_id)
    .where('id', '=', job.id)
    .execute();
  return outcome;
}
