// The database backend (the default on PostgreSQL): every node reads every file, and a database
// backup holds them. Content is stored in chunks (file.repository.ts); a write inserts its
// chunks as the body arrives, each on its own, then switches the key to them in one small
// transaction. Not one long transaction: an upload arrives at the client's pace, and on SQLite
// that would hold the only write lock for all of it. Memory stays at a chunk or two either way.
// A write that fails or is refused deletes what it inserted; a process killed midway leaves
// chunks no file names (a version never switched to), which no read can reach.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Conn } from '../db/transaction.ts';
import type { Database } from '../db/database.ts';
import {
  accountOfKey,
  BaseFileStore,
  FileNotFoundError,
  meter,
  type ByteRange,
  type StoredFile,
} from './file-store.ts';
import * as repo from './file.repository.ts';

/** 256 KB: small enough for flat memory, large enough that a 100 MB file is 400 rows. */
export const CHUNK_BYTES = 256 * 1024;
/** Chunks fetched per query when reading. */
const CHUNKS_PER_READ = 4;

export class DatabaseFileStore extends BaseFileStore {
  readonly backend = 'database';

  constructor(
    private readonly db: Kysely<Database>,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {
    super();
  }

  async write(key: string, body: Readable, limit = Infinity, trx?: Conn): Promise<StoredFile> {
    const accountId = accountOfKey(key);
    const version = randomUUID();
    const measured = meter(limit);
    const { chunkBytes } = this;
    const db = trx ?? this.db;
    let seq = 0;
    // The consumer may still be inserting when pipeline rejects (the body failed): waited for
    // before cleaning up, or a chunk would land after the clean-up.
    let consuming: Promise<void> = Promise.resolve();
    try {
      await pipeline(body, measured.transform, (source: AsyncIterable<Buffer>) => {
        return (consuming = (async () => {
          let pending: Buffer[] = [];
          let pendingBytes = 0;
          const flush = async (all: boolean) => {
            let joined = Buffer.concat(pending, pendingBytes);
            while (joined.length >= chunkBytes || (all && joined.length > 0)) {
              await repo.insertChunk(db, accountId, version, seq++, joined.subarray(0, chunkBytes));
              joined = joined.subarray(chunkBytes);
            }
            // A copy, so the rest does not pin the whole joined buffer.
            pending = joined.length ? [Buffer.from(joined)] : [];
            pendingBytes = joined.length;
          };
          for await (const chunk of source) {
            pending.push(chunk);
            pendingBytes += chunk.length;
            if (pendingBytes >= chunkBytes) await flush(false);
          }
          await flush(true);
        })());
      });
      const stored = measured.result();
      const entry = { version, size: stored.size, chunkSize: chunkBytes, sha256: stored.sha256 };
      if (trx?.isTransaction) await repo.switchVersion(trx, accountId, key, entry);
      else await db.transaction().execute((t) => repo.switchVersion(t, accountId, key, entry));
      return stored;
    } catch (error) {
      await consuming.catch(() => undefined);
      if (seq > 0) await repo.deleteChunks(db, accountId, version);
      throw error;
    }
  }

  read(key: string, range: ByteRange = {}): Readable {
    const { db } = this;
    async function* content(): AsyncGenerator<Buffer> {
      const accountId = accountOfKey(key);
      const file = await repo.findFile(db, accountId, key);
      if (!file) throw new FileNotFoundError(key);
      const start = range.start ?? 0;
      const end = Math.min(range.end ?? file.size - 1, file.size - 1);
      if (end < start) return;
      const last = Math.floor(end / file.chunkSize);
      let next = Math.floor(start / file.chunkSize);
      while (next <= last) {
        const page = await repo.readChunks(
          db,
          accountId,
          file.version,
          next,
          last,
          CHUNKS_PER_READ,
        );
        // Replaced or removed while being read: the reader is told, not handed a mix.
        if (!page.length || page[0]!.seq !== next) throw new FileNotFoundError(key);
        for (const { seq, data } of page) {
          const offset = seq * file.chunkSize;
          const from = Math.max(start - offset, 0);
          const to = Math.min(end - offset + 1, data.length);
          yield data.subarray(from, to);
          next = seq + 1;
        }
      }
    }
    return Readable.from(content(), { objectMode: false });
  }

  async stat(key: string, trx?: Conn): Promise<{ size: number } | undefined> {
    const file = await repo.findFile(trx ?? this.db, accountOfKey(key), key);
    return file && { size: file.size };
  }

  async remove(key: string, trx?: Conn): Promise<void> {
    if (trx?.isTransaction) await repo.deleteFileIn(trx, accountOfKey(key), key);
    else await this.db.transaction().execute((t) => repo.deleteFileIn(t, accountOfKey(key), key));
  }

  async *list(prefix: string): AsyncIterable<string> {
    let after = '';
    for (;;) {
      const page = await repo.listKeys(this.db, prefix, after, 500);
      yield* page;
      if (page.length < 500) return;
      after = page[page.length - 1]!;
    }
  }
}
