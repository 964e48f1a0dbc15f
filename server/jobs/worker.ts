// The job worker: one per node (several nodes share one PostgreSQL queue). Claims due jobs,
// parses each payload with its task's schema (one that does not fit ends the job failed at
// once: every retry would fail the same way), runs the task registered for their kind, keeps
// the lease alive while it runs, retries with the task's backoff, and stops cleanly: on stop it
// claims nothing more, lets the running task reach a safe point (an import checks stopping()
// between batches) and hands the job back; past the grace period it hands the job back at once
// and lets the process end (whatever the task had not committed rolls back with it).
import { hostname } from 'node:os';
import type { Db } from '../db/connect.ts';
import { newId } from '../db/ids.ts';
import type { JobRow } from '../db/database.ts';
import { abandonJob, claimJob, extendLease, failJob, finishJob, releaseJob } from './queue.ts';
import { STOPPED_EARLY, type BoundTask } from './task.ts';

export interface WorkerOptions {
  leaseMs?: number;
  pollMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/** The job this worker is running; released once the grace period of a stop is over. */
interface CurrentJob {
  job: JobRow;
  heartbeat: NodeJS.Timeout;
  released: boolean;
}

export class Worker {
  readonly id = `${hostname()}:${process.pid}:${newId().slice(-6)}`;
  private readonly tasks = new Map<string, BoundTask>();
  private running = false;
  private stopRequested = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private current: CurrentJob | undefined;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly db: Db,
    private readonly options: WorkerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1000;
  }

  /** Registers a task with its deps (see task.ts bindTask); a second one for a kind replaces it. */
  register(task: BoundTask): this {
    this.tasks.set(task.kind, task);
    return this;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopRequested = false;
    this.loop = this.run();
  }

  /** Wakes the worker now instead of at the next poll (after an enqueue on this node). */
  notify(): void {
    this.wake?.();
  }

  /**
   * Claims nothing more and waits for the running task to stop at its next safe point. With
   * `graceMs`, waits at most that long: then the running job is released (claimable again at
   * once, its attempt not counted) and the task is left to be cut off by the process's end.
   * Answers 'released' when that happened.
   */
  async stop(graceMs?: number): Promise<'stopped' | 'released'> {
    this.stopRequested = true;
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    const graceOver =
      graceMs === undefined
        ? new Promise<never>(() => undefined)
        : new Promise<'grace over'>((resolve) => {
            timer = setTimeout(() => resolve('grace over'), graceMs);
          });
    const outcome = await Promise.race([this.loop, graceOver]);
    clearTimeout(timer);
    this.running = false;
    if (outcome !== 'grace over' || !this.current) return 'stopped';
    await this.releaseCurrent();
    return 'released';
  }

  private async releaseCurrent(): Promise<void> {
    const current = this.current;
    if (!current || current.released) return;
    current.released = true;
    clearInterval(current.heartbeat);
    try {
      await releaseJob(this.db.kysely, current.job, this.id);
    } catch (error) {
      // The lease then runs out instead, and the next claim takes the job over.
      this.options.log?.(`job ${current.job.kind} ${current.job.id} not released`, error);
    }
  }

  /** Runs due jobs until none is left; for the CLI and tests. */
  async drain(): Promise<number> {
    let count = 0;
    while (await this.runOne()) count += 1;
    return count;
  }

  private async run(): Promise<void> {
    while (!this.stopRequested) {
      let worked = false;
      try {
        worked = await this.runOne();
      } catch (error) {
        this.options.log?.('job worker error', error);
      }
      if (!worked && !this.stopRequested) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  private async runOne(): Promise<boolean> {
    const job = await claimJob(this.db.kysely, this.db.dialect, this.id, this.leaseMs, [
      ...this.tasks.keys(),
    ]);
    if (!job) return false;
    const task = this.tasks.get(job.kind);
    if (!task) return true;
    const prepared = task.prepare(job);
    if (typeof prepared === 'string') {
      this.options.log?.(`job ${job.kind} ${job.id} failed: ${prepared}`);
      await abandonJob(this.db.kysely, job, prepared);
      return true;
    }
    const heartbeat = setInterval(
      () => {
        extendLease(this.db.kysely, job, this.id, this.leaseMs).catch((error: unknown) =>
          this.options.log?.('lease', error),
        );
      },
      Math.max(50, this.leaseMs / 3),
    );
    const current: CurrentJob = { job, heartbeat, released: false };
    this.current = current;
    try {
      const result = await prepared.run(() => this.stopRequested);
      // Released by stop(): the job is no longer this worker's to finish.
      if (current.released) return true;
      if (result === STOPPED_EARLY) {
        // Left unfinished on purpose, at a safe point: the next worker resumes it.
        await releaseJob(this.db.kysely, job, this.id);
      } else {
        await finishJob(this.db.kysely, job);
      }
    } catch (error) {
      // Cut off after its release (the database closing under it): the next claim retries it.
      if (current.released) return true;
      const message = error instanceof Error ? error.message : String(error);
      this.options.log?.(`job ${job.kind} ${job.id} failed (attempt ${job.attempts})`, error);
      const outcome = await failJob(this.db.kysely, job, message, task.backoffMs(job.attempts));
      if (outcome === 'failed') await prepared.onFailed(error);
    } finally {
      clearInterval(heartbeat);
      if (this.current === current) this.current = undefined;
    }
    return true;
  }
}
