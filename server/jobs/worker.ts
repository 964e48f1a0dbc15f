// The job worker: one per node (several nodes share one PostgreSQL queue). Claims due jobs,
// parses each payload with its task's schema (one that does not fit ends the job failed at
// once: every retry would fail the same way), runs the task registered for their kind, keeps
// the lease alive while it runs, retries with the task's backoff, and stops cleanly.
import { hostname } from 'node:os';
import type { Db } from '../db/connect.ts';
import { newId } from '../db/ids.ts';
import { abandonJob, claimJob, extendLease, failJob, finishJob } from './queue.ts';
import type { BoundTask } from './task.ts';

export interface WorkerOptions {
  leaseMs?: number;
  pollMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export class Worker {
  readonly id = `${hostname()}:${process.pid}:${newId().slice(-6)}`;
  private readonly tasks = new Map<string, BoundTask>();
  private running = false;
  private stopRequested = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
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

  async stop(): Promise<void> {
    this.stopRequested = true;
    this.wake?.();
    await this.loop;
    this.running = false;
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
    try {
      await prepared.run(() => this.stopRequested);
      if (this.stopRequested) {
        // Left unfinished on purpose: release it for the next worker.
        await failJob(this.db.kysely, { ...job, attempts: job.attempts - 1 }, 'worker stopped', 0);
      } else {
        await finishJob(this.db.kysely, job);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.log?.(`job ${job.kind} ${job.id} failed (attempt ${job.attempts})`, error);
      const outcome = await failJob(this.db.kysely, job, message, task.backoffMs(job.attempts));
      if (outcome === 'failed') await prepared.onFailed(error);
    } finally {
      clearInterval(heartbeat);
    }
    return true;
  }
}
