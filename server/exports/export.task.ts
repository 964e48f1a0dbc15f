// The two background tasks of customer data archives: build-export writes the zip (a crashed or
// failed attempt is retried from the start: the file store only ever holds finished files, and
// the row moves to ready only after the zip is complete), expire-export runs when an archive's
// time is up and deletes its file. Both kinds are stored in the jobs table: never rename them.
import { z } from 'zod';
import { defineTask } from '../jobs/task.ts';
import type { ExportService } from './export.service.ts';

export interface ExportTaskDeps {
  exports: ExportService;
}

export const buildExportTask = defineTask({
  kind: 'build-export',
  payload: z.object({ exportId: z.string().min(1) }),
  attempts: 3,
  backoffMs: (attempt) => 15_000 * attempt,
  run: async ({ job, payload }, { exports }: ExportTaskDeps) => {
    await exports.build(job.account_id, payload.exportId);
  },
  onFailed: async ({ job, payload, error }, { exports }) => {
    await exports.markFailed(job.account_id, payload.exportId, error);
  },
});

export const expireExportTask = defineTask({
  kind: 'expire-export',
  payload: z.object({ exportId: z.string().min(1) }),
  attempts: 5,
  backoffMs: (attempt) => 60_000 * attempt,
  run: async ({ job, payload }, { exports }: ExportTaskDeps) => {
    await exports.expire(job.account_id, payload.exportId);
  },
});
