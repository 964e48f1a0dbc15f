// The erasure hook for data archives: erasing a customer deletes their export rows in the
// erasure's transaction and their archive files once it has committed (a rolled-back erasure
// must not leave rows pointing at deleted files). Wired into the erasure by the lead.
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { FileStore } from '../files/file-store.ts';
import { deleteExportsOf } from './export.repository.ts';

export interface ErasedExports {
  /** How many archives the customer had (the dry run's count). */
  count: number;
  /** Deletes the archive files; call it after the transaction committed. */
  removeFiles: () => Promise<void>;
}

export async function eraseCustomerExports(
  trx: Transaction<Database>,
  files: FileStore,
  accountId: string,
  customerId: string,
): Promise<ErasedExports> {
  const keys = await deleteExportsOf(trx, accountId, customerId);
  return {
    count: keys.length,
    removeFiles: async () => {
      for (const key of keys) {
        await files.remove(key);
        // A build that was writing when the erasure ran leaves no partial file behind either.
        await files.remove(`${key}.part`);
      }
    },
  };
}
