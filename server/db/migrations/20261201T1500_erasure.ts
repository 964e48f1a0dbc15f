// Erasure (issue 11): the Deleted Customers log. One row per erased customer, keyed by the
// customer's reference number so that erasing twice (a retried job, a purge meeting an agent's
// request) still leaves one row. It holds only the redacted email and phone, never the values.
// An index on customers' last activity serves the retention purge's search for old customers.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('deleted_customers')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_number', 'bigint', (c) => c.notNull())
    .addColumn('email_redacted', 'text')
    .addColumn('phone_redacted', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('deleted_by_type', 'text', (c) => c.notNull())
    .addColumn('deleted_by_id', 'text')
    .addColumn('deleted_by_name', 'text', (c) => c.notNull())
    .addColumn('requested_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('deleted_customers_pk', ['account_id', 'id'])
    .addUniqueConstraint('deleted_customers_number_uq', ['account_id', 'customer_number'])
    .execute();
  await db.schema
    .createIndex('customers_activity_idx')
    .on('customers')
    .columns(['account_id', 'status', 'last_activity_at'])
    .execute();
  // SQLite: the search index removes a deleted customer's entries outright instead of keeping
  // them until the next merge (FTS5 secure-delete, SQLite 3.42+).
  if (!t.postgres)
    await sql`insert into customers_fts(customers_fts, rank) values ('secure-delete', 1)`.execute(
      db,
    );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('customers_activity_idx').execute();
  await db.schema.dropTable('deleted_customers').execute();
}
