// Inbound email states an administrator can act on: how the message came (SMTP or the webhook,
// which decides what an empty envelope sender means), how many attempts processing took, the last
// error, when the next automatic attempt runs, and the From and Subject as read, so the admin
// page can name a failed message without parsing the raw file again.
import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  const table = () => db.schema.alterTable('inbound_emails');
  // SQLite adds one column per ALTER TABLE.
  await table()
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('smtp'))
    .execute();
  await table()
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await table().addColumn('last_error', 'text').execute();
  await table().addColumn('header_from', 'text').execute();
  await table().addColumn('subject', 'text').execute();
  await table().addColumn('updated_at', t.timestamp).execute();
  await table().addColumn('retry_at', t.timestamp).execute();
  await db.schema
    .createIndex('inbound_emails_status_idx')
    .on('inbound_emails')
    .columns(['account_id', 'status', 'received_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('inbound_emails_status_idx').execute();
  for (const column of [
    'retry_at',
    'updated_at',
    'subject',
    'header_from',
    'last_error',
    'attempts',
    'source',
  ])
    await db.schema.alterTable('inbound_emails').dropColumn(column).execute();
}
