// `kunde files migrate --to local|database|s3`: copies every stored file from the backend this
// node is configured with to another, so an installation can change KUNDE_FILE_STORE without
// losing a file. Each copy is read back and checked (size and sha256) before it counts. It is
// idempotent and resumable: a file the target already holds with the same content is skipped,
// so a run that stopped midway is run again. The source is left as it was; switching is setting
// KUNDE_FILE_STORE to the target and restarting, and deleting the old files is the operator's.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FileStore } from './file-store.ts';

export interface MigrateCounts {
  copied: number;
  /** Already in the target with the same content. */
  skipped: number;
  /** Copied, but read back different (or unreadable): listed, and the run fails. */
  failed: { key: string; reason: string }[];
  bytes: number;
}

async function digest(stream: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return { size, sha256: hash.digest('hex') };
}

export async function migrateFiles(
  from: FileStore,
  to: FileStore,
  progress?: (counts: MigrateCounts) => void,
): Promise<MigrateCounts> {
  const counts: MigrateCounts = { copied: 0, skipped: 0, failed: [], bytes: 0 };
  for await (const key of from.list('')) {
    const source = await from.stat(key);
    if (!source) continue; // removed since it was listed (an erasure, an expiry)
    const there = await to.stat(key);
    if (there?.size === source.size) {
      const [a, b] = await Promise.all([digest(from.read(key)), digest(to.read(key))]);
      if (a.sha256 === b.sha256) {
        counts.skipped += 1;
        continue;
      }
    }
    try {
      const written = await to.write(key, from.read(key));
      const check = await digest(to.read(key));
      if (check.size !== written.size || check.sha256 !== written.sha256)
        throw new Error(`read back ${check.size} bytes, not the ${written.size} written`);
      counts.copied += 1;
      counts.bytes += written.size;
    } catch (error) {
      counts.failed.push({ key, reason: error instanceof Error ? error.message : String(error) });
    }
    progress?.(counts);
  }
  return counts;
}
