// Background jobs (claimed with a lease; SKIP LOCKED on PostgreSQL) and CSV customer imports
// with their per-row errors. Customers remember the import and row that last wrote them, which is
// how a duplicate row in a file is recognised even after a crash and resume.
import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('jobs')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', t.timestamp, (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', t.timestamp)
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('jobs_pk', ['account_id', 'id'])
    .execute();
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['status', 'run_at']).execute();

  await db.schema
    .createTable('customer_imports')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('delimiter', 'text', (c) => c.notNull())
    .addColumn('header', t.json, (c) => c.notNull())
    .addColumn('mapping', t.json, (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull())
    .addColumn('overwrite_empty', 'integer', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull())
    .addColumn('processed_rows', 'integer', (c) => c.notNull())
    .addColumn('created_count', 'integer', (c) => c.notNull())
    .addColumn('updated_count', 'integer', (c) => c.notNull())
    .addColumn('unchanged_count', 'integer', (c) => c.notNull())
    .addColumn('failed_count', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('started_at', t.timestamp)
    .addColumn('finished_at', t.timestamp)
    .addPrimaryKeyConstraint('customer_imports_pk', ['account_id', 'id'])
    .addUniqueConstraint('customer_imports_idempotency_uq', ['account_id', 'idempotency_key'])
    .execute();
  await db.schema
    .createIndex('customer_imports_sha_idx')
    .on('customer_imports')
    .columns(['account_id', 'file_sha256', 'created_at'])
    .execute();

  await db.schema
    .createTable('customer_import_errors')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('column_name', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_import_errors_pk', [
      'account_id',
      'import_id',
      'row_number',
      'seq',
    ])
    .execute();

  // Identities seen so far by a dry run (which writes nothing else), to find duplicates across
  // batches without holding the whole file's identities in memory. Emptied when the run ends.
  await db.schema
    .createTable('customer_import_keys')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_import_keys_pk', ['account_id', 'import_id', 'identity'])
    .execute();

  await db.schema.alterTable('customers').addColumn('import_id', 'text').execute();
  await db.schema.alterTable('customers').addColumn('import_row', 'integer').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').dropColumn('import_row').execute();
  await db.schema.alterTable('customers').dropColumn('import_id').execute();
  for (const table of [
    'customer_import_keys',
    'customer_import_errors',
    'customer_imports',
    'jobs',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
