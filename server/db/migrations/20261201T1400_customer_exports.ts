// Customer data archives (data rights): one row per requested export, its state and, once
// ready, the archive's file key, size and expiry. The requesting agent's name and language are
// kept so the archive's README and the ready email speak it, even after the agent is gone.
import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('customer_exports')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('file_key', 'text')
    .addColumn('size', 'bigint')
    .addColumn('error', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('ready_at', t.timestamp)
    .addColumn('expires_at', t.timestamp)
    .addPrimaryKeyConstraint('customer_exports_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('customer_exports_customer_idx')
    .on('customer_exports')
    .columns(['account_id', 'customer_id', 'id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_exports').ifExists().execute();
}
