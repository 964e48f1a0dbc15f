// A background task, defined beside its feature: its kind (the string stored in the jobs table,
// so it never changes), the zod schema of its payload, how many attempts a job gets, the backoff
// between them, and what it runs. enqueue() takes the attempts from the task, so no call site
// picks a retry count, and the worker parses the payload with the task's schema, so no task
// casts what it reads from the table.
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database, JobRow } from '../db/database.ts';
import { insertJob } from './queue.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export interface TaskContext<P> {
  job: JobRow;
  payload: P;
  /**
   * True once the worker is stopping; long tasks check it between batches and return
   * STOPPED_EARLY, so the job is handed back unfinished rather than marked done.
   */
  stopping: () => boolean;
}

/** What a task returns when it stopped at a safe point before its work was done. */
export const STOPPED_EARLY = 'stopped early';
export type TaskResult = void | typeof STOPPED_EARLY;

/** What a call site needs to queue a job of this kind (no deps, so features can import it). */
export interface TaskKind<P> {
  kind: string;
  payload: z.ZodType<P>;
  /** Attempts per job, the first one included. */
  attempts: number;
}

export interface TaskDefinition<P, D> extends TaskKind<P> {
  /** Delay before the next attempt, by attempt number (1-based). */
  backoffMs: (attempt: number) => number;
  /** `deps` are the services the task needs, handed over where the task is registered. */
  run: (context: TaskContext<P>, deps: D) => Promise<TaskResult>;
  /** Called when the last attempt failed (not when the payload did not parse: there is none). */
  onFailed?: (context: { job: JobRow; payload: P; error: unknown }, deps: D) => Promise<void>;
}

export function defineTask<P, D = void>(task: TaskDefinition<P, D>): TaskDefinition<P, D> {
  return task;
}

/** A claimed job whose payload parsed: ready to run. */
export interface PreparedJob {
  run: (stopping: () => boolean) => Promise<TaskResult>;
  onFailed: (error: unknown) => Promise<void>;
}

/** A task with its deps, as the worker holds it; its payload type stays inside the closures. */
export interface BoundTask {
  kind: string;
  backoffMs: (attempt: number) => number;
  /** Parses the job's payload; a string says why it does not fit the task's schema. */
  prepare: (job: JobRow) => PreparedJob | string;
}

export function bindTask<P, D>(task: TaskDefinition<P, D>, deps: D): BoundTask {
  return {
    kind: task.kind,
    backoffMs: task.backoffMs,
    prepare: (job) => {
      let raw: unknown;
      try {
        raw = JSON.parse(job.payload);
      } catch {
        return `payload is not JSON: ${job.payload.slice(0, 200)}`;
      }
      const parsed = task.payload.safeParse(raw);
      if (!parsed.success) {
        const where = parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
          .join('; ');
        return `payload does not fit the ${task.kind} task: ${where}`;
      }
      const payload = parsed.data;
      return {
        run: (stopping) => task.run({ job, payload, stopping }, deps),
        onFailed: async (error) => {
          await task.onFailed?.({ job, payload, error }, deps);
        },
      };
    },
  };
}

export interface EnqueueOptions {
  /** When the first attempt is due; now if left out. */
  runAt?: Date;
}

/**
 * Queues one job of `task` with the task's attempts. The payload is checked against the task's
 * schema here too, so a wrong payload fails where it is written, not later in the worker.
 */
export async function enqueue<P>(
  db: Conn,
  accountId: string,
  task: TaskKind<P>,
  payload: P,
  options: EnqueueOptions = {},
): Promise<string> {
  return await insertJob(db, accountId, {
    kind: task.kind,
    payload: JSON.stringify(task.payload.parse(payload)),
    maxAttempts: task.attempts,
    runAt: options.runAt ?? new Date(),
  });
}
