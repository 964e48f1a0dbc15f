// The job that backfills an account's duplicate suggestions (duplicate-backfill.ts): queued by
// the 20261206T0400_duplicate_backfill migration for each account whose customers predate
// upkeep, and by `kunde duplicates backfill`. The walk's position is on the account's backfill
// row, committed with each batch, so a job cut off (a crash, a kill, a stop) resumes there.
import { z } from 'zod';
import { defineTask, STOPPED_EARLY } from '../jobs/task.ts';
import type { DuplicateBackfill } from './duplicate-backfill.ts';

export const duplicateBackfillTask = defineTask<
  Record<string, never>,
  { backfill: DuplicateBackfill }
>({
  // Stored in the jobs table (and written by the migration): never renamed.
  kind: 'duplicate-backfill',
  payload: z.object({}).strict(),
  // The migration writes its jobs with these attempts too.
  attempts: 10,
  backoffMs: (attempt) => Math.min(60_000 * 2 ** (attempt - 1), 3_600_000),
  run: async ({ job, stopping }, { backfill }) => {
    const result = await backfill.run(job.account_id, { stopping });
    return result === 'stopped' ? STOPPED_EARLY : undefined;
  },
});
