// The job that retries a stored inbound email whose processing failed. Each attempt records its
// error on the message (state failed) and when the next attempt runs; after the last one the
// message stays failed with no retry queued, on the administrator's page, until someone retries.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Task } from '../jobs/worker.ts';
import type { EmailIntake } from './email-intake.ts';
import { PROCESS_EMAIL_JOB } from './email-intake.ts';
import { setRetryAt } from './inbound.repository.ts';

const backoffMs = (attempt: number) => Math.min(10_000 * 2 ** attempt, 3_600_000);

export function processEmailTask(db: Kysely<Database>, intake: EmailIntake): Task {
  return {
    kind: PROCESS_EMAIL_JOB,
    backoffMs,
    run: async ({ job, payload }) => {
      const { inboundId } = payload as { inboundId: string };
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
    onFailed: async (job) => {
      const { inboundId } = JSON.parse(job.payload) as { inboundId: string };
      await setRetryAt(db, job.account_id, inboundId, null);
    },
  };
}
