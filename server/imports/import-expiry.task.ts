// Uploads that were never started do not stay forever (issue 16): each upload queues this task
// for UPLOAD_EXPIRY_MS later; it removes the import and its stored file if the import is still
// in preview, and does nothing once it was started. The kind is stored in the jobs table: never
// rename it.
import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import type { FileStore } from '../files/file-store.ts';
import { defineTask } from '../jobs/task.ts';
import { deleteNeverStartedImport } from './import.repository.ts';

/** How long an upload that was never started is kept. */
export const UPLOAD_EXPIRY_MS = 7 * 24 * 60 * 60_000;

export interface UploadExpiryDeps {
  db: Db;
  files: FileStore;
}

/** Removes a never-started import and its file; answers whether there was one. */
export async function removeNeverStarted(
  { db, files }: UploadExpiryDeps,
  accountId: string,
  importId: string,
): Promise<boolean> {
  // One transaction: on PostgreSQL the file lives in the database and goes with the row; the
  // other stores remove it at once, after the row's delete, which only a failed commit undoes.
  return db.kysely.transaction().execute(async (trx) => {
    const key = await deleteNeverStartedImport(trx, accountId, importId);
    if (key === undefined) return false;
    await files.remove(key, trx);
    return true;
  });
}

export const expireUploadTask = defineTask({
  kind: 'expire-import-upload',
  payload: z.object({ importId: z.string().min(1) }),
  attempts: 5,
  backoffMs: (attempt) => 60_000 * attempt,
  run: async ({ job, payload }, deps: UploadExpiryDeps) => {
    await removeNeverStarted(deps, job.account_id, payload.importId);
  },
});
