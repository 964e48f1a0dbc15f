// Issue 16 point 3, honest delivery: why an email is held (a code the console words), a record
// of what administrators did to outbox mail (released, retried, discarded: who and when), and
// an index for a ticket's mail, which its page reads on every poll to show each reply's state.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('outbox').addColumn('hold_reason', 'text').execute();
  // Until now the one cause of held mail was a node without SMTP_URL.
  await sql`update outbox set hold_reason = 'smtp_not_configured' where status = 'held'`.execute(
    db,
  );
  await db.schema
    .createIndex('outbox_ticket_idx')
    .on('outbox')
    .columns(['account_id', 'ticket_id'])
    .execute();
  await db.schema
    .createTable('outbox_actions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    // Kept as written: the record stays readable after the agent is deleted.
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('outbox_actions_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('outbox_actions_outbox_idx')
    .on('outbox_actions')
    .columns(['account_id', 'outbox_id', 'created_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbox_actions').execute();
  await db.schema.dropIndex('outbox_ticket_idx').execute();
  await db.schema.alterTable('outbox').dropColumn('hold_reason').execute();
}
