// The background tasks of erasure: erasing one customer (queued by DELETE /customers/{id}),
// and the daily retention purge of an account. Both are safe to run again: a killed erasure
// resumes on the same job once its lease runs out (or on restart), and its steps remove only
// what is still there.
import { z } from 'zod';
import { ERASURE_REASONS } from '../../common/erasure.ts';
import { defineTask, STOPPED_EARLY } from '../jobs/task.ts';
import type { ErasureService } from './erasure.service.ts';

const actorSchema = z.object({
  type: z.enum(['user', 'token', 'system']),
  id: z.string().nullable(),
  name: z.string(),
});

export const customerErasureTask = defineTask<
  {
    customerId: string;
    reason: (typeof ERASURE_REASONS)[number];
    actor: z.infer<typeof actorSchema>;
    requestedAt: string;
  },
  { erasure: ErasureService }
>({
  kind: 'customer-erasure',
  payload: z.object({
    customerId: z.string(),
    reason: z.enum(ERASURE_REASONS),
    actor: actorSchema,
    requestedAt: z.string(),
  }),
  attempts: 20,
  backoffMs: (attempt) => Math.min(60_000 * 2 ** (attempt - 1), 3_600_000),
  run: async ({ job, payload, stopping }, { erasure }) => {
    const result = await erasure.run({ accountId: job.account_id, ...payload }, stopping);
    return result === 'stopped' ? STOPPED_EARLY : undefined;
  },
});

/** Customers per purge job; a full batch queues the next one at once. */
export const PURGE_BATCH = 500;
const DAY_MS = 86_400_000;

export const retentionPurgeTask = defineTask<Record<string, never>, { erasure: ErasureService }>({
  kind: 'retention-purge',
  payload: z.object({}).strict(),
  attempts: 5,
  backoffMs: (attempt) => 60_000 * attempt,
  run: async ({ job, stopping }, { erasure }) => {
    const { more } = await erasure.purgeBatch(job.account_id, PURGE_BATCH, stopping);
    await erasure.schedulePurge(job.account_id, more ? new Date() : new Date(Date.now() + DAY_MS));
  },
  onFailed: async ({ job }, { erasure }) => {
    await erasure.schedulePurge(job.account_id, new Date(Date.now() + DAY_MS));
  },
});
