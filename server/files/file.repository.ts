// SQL of the database file store: stored files (`files`) and their content (`file_chunks`).
// Every statement names the key's account; listing every key (kunde files migrate) walks the
// accounts table, as the other installation-wide work does.
import { sql, type Kysely } from 'kysely';
import type { Conn } from '../db/transaction.ts';
import type { Database } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';

export interface FileEntry {
  version: string;
  size: number;
  chunkSize: number;
}

export async function findFile(
  db: Conn,
  accountId: string,
  key: string,
): Promise<FileEntry | undefined> {
  const row = await db
    .selectFrom('files')
    .select(['version', 'size', 'chunk_size'])
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row && { version: row.version, size: Number(row.size), chunkSize: row.chunk_size };
}

export async function insertChunk(
  db: Conn,
  accountId: string,
  version: string,
  seq: number,
  data: Buffer,
): Promise<void> {
  await db
    .insertInto('file_chunks')
    .values({ account_id: accountId, version, seq, data })
    .execute();
}

/** Chunks `from`..`to` (inclusive) of a version, `limit` at a time from `from`. */
export async function readChunks(
  db: Kysely<Database>,
  accountId: string,
  version: string,
  from: number,
  to: number,
  limit: number,
): Promise<{ seq: number; data: Buffer }[]> {
  const rows = await db
    .selectFrom('file_chunks')
    .select(['seq', 'data'])
    .where('account_id', '=', accountId)
    .where('version', '=', version)
    .where('seq', '>=', from)
    .where('seq', '<=', to)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: r.seq, data: Buffer.from(r.data) }));
}

export async function deleteChunks(db: Conn, accountId: string, version: string): Promise<void> {
  await db
    .deleteFrom('file_chunks')
    .where('account_id', '=', accountId)
    .where('version', '=', version)
    .execute();
}

/**
 * Points `key` at a written version and deletes the version it replaces, in the caller's
 * transaction: a reader finds the old content or the new, never a mix.
 */
export async function switchVersion(
  trx: Conn,
  accountId: string,
  key: string,
  entry: FileEntry & { sha256: string },
): Promise<void> {
  const old = await findFile(trx, accountId, key);
  const row = {
    version: entry.version,
    size: entry.size,
    sha256: entry.sha256,
    chunk_size: entry.chunkSize,
    created_at: nowIso(),
  };
  await trx
    .insertInto('files')
    .values({ account_id: accountId, key, ...row })
    .onConflict((oc) => oc.columns(['account_id', 'key']).doUpdateSet(row))
    .execute();
  if (old && old.version !== entry.version) await deleteChunks(trx, accountId, old.version);
}

/** Deletes a file and its content inside the caller's transaction. */
export async function deleteFileIn(trx: Conn, accountId: string, key: string) {
  const old = await findFile(trx, accountId, key);
  if (!old) return;
  await trx
    .deleteFrom('files')
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .execute();
  await deleteChunks(trx, accountId, old.version);
}

/** A page of every account's keys starting with `prefix`, after `after`, in key order. */
export async function listKeys(
  db: Kysely<Database>,
  prefix: string,
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('files')
    .select('key')
    .where('account_id', 'in', db.selectFrom('accounts').select('account_id'))
    .where('key', '>', after)
    // substr, not LIKE: a key may hold LIKE's wildcards, and the dialects escape differently.
    .where(sql<string>`substr(key, 1, ${prefix.length})`, '=', prefix)
    .orderBy('key')
    .limit(limit)
    .execute();
  return rows.map((r) => r.key);
}
