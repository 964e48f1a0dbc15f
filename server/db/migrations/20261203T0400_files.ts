// The database file store (issue 18 item 2: files that work on several nodes): `files` names
// each stored file and the version of its content; `file_chunks` holds that content in pieces of
// a few hundred KB, so a file is streamed in and out a chunk at a time. A replaced file gets a new
// version, and the switch is one small transaction: readers see the old content or the new.
// Both tables lead with account_id (the key's account), so on Citus they shard with their rows.
import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('files')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('chunk_size', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('files_pk', ['account_id', 'key'])
    .execute();
  await db.schema
    .createTable('file_chunks')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', t.postgres ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunks_pk', ['account_id', 'version', 'seq'])
    .execute();
}
