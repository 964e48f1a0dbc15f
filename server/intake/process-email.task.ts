// The task that retries a stored inbound email whose processing failed. Each attempt records its
// error on the message (state failed) and when the next attempt runs; after the last one the
// message stays failed with no retry queued, on the administrator's page, until someone retries.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { defineTask } from '../jobs/task.ts';
import type { EmailIntake } from './email-intake.ts';
import { setRetryAt } from './inbound.repository.ts';

export interface ProcessEmailDeps {
  db: Kysely<Database>;
  intake: EmailIntake;
}

const backoffMs = (attempt: number) => Math.min(10_000 * 2 ** attempt, 3_600_000);

export const processEmailTask = defineTask({
  // Stored in the jobs table: queued jobs from older versions name it so.
  kind: 'process-inbound-email',
  payload: z.object({ inboundId: z.string().min(1) }),
  attempts: 10,
  backoffMs,
  run: async ({ job, payload: { inboundId } }, { db, intake }: ProcessEmailDeps) => {
    try {
      await intake.process(job.account_id, inboundId);
    } catch (error) {
      // The worker schedules the next attempt with the same backoff; show when it will run.
      const next =
        job.attempts < job.max_attempts ? new Date(Date.now() + backoffMs(job.attempts)) : null;
      await setRetryAt(db, job.account_id, inboundId, next);
      throw error;
    }
  },
  onFailed: async ({ job, payload: { inboundId } }, { db }) => {
    await setRetryAt(db, job.account_id, inboundId, null);
  },
});
