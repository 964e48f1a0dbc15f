// The job that sends webhook deliveries. recordWebhookEvents queues one per batch of deliveries
// (up to DELIVERIES_PER_JOB); a run sends those that are due, a few at a time, and queues one
// follow-up job for the ones that failed and have attempts left, due when the last of their
// backoffs is over. A delivery's own row is the truth (status, next_attempt_at), so a job that
// is retried after a crash, or resumed after a stop, sends only what is still due.
//
// Deliveries of one endpoint are not sent in order: concurrent workers, retries and backoff
// overtake one another. Receivers order by the payload's createdAt and deduplicate by the
// Kunde-Delivery header (at least once: a node dying after the POST and before recording it
// sends that delivery again).
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { defineTask, enqueue, STOPPED_EARLY } from '../jobs/task.ts';
import { attemptDelivery, type DeliveryOptions } from './webhook-delivery.ts';
import { findDeliveryRows, OPEN_STATUSES } from './webhook.repository.ts';

export const DELIVERIES_PER_JOB = 500;
/** Deliveries of one job in flight at once. */
const PARALLEL = 4;

export interface WebhookTaskDeps {
  db: Kysely<Database>;
  delivery: DeliveryOptions;
}

export const webhookDeliveryTask = defineTask({
  // Stored in the jobs table: never renamed.
  kind: 'deliver-webhooks',
  payload: z.object({ deliveryIds: z.array(z.string().min(1)).min(1).max(DELIVERIES_PER_JOB) }),
  // The job's own attempts cover a failure of Kunde's (the database), not of the endpoint:
  // those are the delivery's attempts, counted on its row.
  attempts: 5,
  backoffMs: (attempt) => 30_000 * 2 ** (attempt - 1),
  run: async ({ job, payload, stopping }, { db, delivery }: WebhookTaskDeps) => {
    const accountId = job.account_id;
    const now = new Date().toISOString();
    const due = (await findDeliveryRows(db, accountId, payload.deliveryIds)).filter(
      (row) =>
        (OPEN_STATUSES as readonly string[]).includes(row.status) &&
        (row.next_attempt_at === null || row.next_attempt_at <= now),
    );
    const retry: { id: string; at: string }[] = [];
    let stopped = false;
    let next = 0;
    const lane = async () => {
      while (next < due.length) {
        if (stopping()) {
          stopped = true;
          return;
        }
        const row = due[next++]!;
        const retryAt = await attemptDelivery(db, row, delivery, { final: false });
        if (retryAt) retry.push({ id: row.id, at: retryAt });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, lane));
    if (retry.length) {
      const last = retry.reduce((a, b) => (a > b.at ? a : b.at), retry[0]!.at);
      await enqueue(
        db,
        accountId,
        webhookDeliveryTask,
        { deliveryIds: retry.map((r) => r.id) },
        { runAt: new Date(last) },
      );
    }
    // Unsent ones stay due on their rows: the job handed back sends them when it resumes.
    if (stopped) return STOPPED_EARLY;
  },
});
