// Tickets and their messages and attachments, teams, per-organization routing rules, the
// outbound mail outbox, and inbound email as received (stored before the SMTP server says 250).
import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

const TICKET_PERMISSIONS = ['tickets.view', 'tickets.manage'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('tickets')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('number', 'bigint', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('message_count', 'integer', (c) => c.notNull())
    .addColumn('last_message_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('tickets_pk', ['account_id', 'id'])
    .addUniqueConstraint('tickets_number_uq', ['account_id', 'number'])
    .execute();
  await db.schema
    .createIndex('tickets_requester_idx')
    .on('tickets')
    .columns(['account_id', 'requester_id', 'number'])
    .execute();
  await db.schema
    .createIndex('tickets_status_idx')
    .on('tickets')
    .columns(['account_id', 'status', 'number'])
    .execute();
  await db.schema
    .createIndex('tickets_org_idx')
    .on('tickets')
    .columns(['account_id', 'organization_id', 'number'])
    .execute();

  await db.schema
    .createTable('ticket_messages')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('author_type', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text')
    .addColumn('email_message_id', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_messages_pk', ['account_id', 'id'])
    .addUniqueConstraint('ticket_messages_email_uq', ['account_id', 'email_message_id'])
    .execute();
  await db.schema
    .createIndex('ticket_messages_ticket_idx')
    .on('ticket_messages')
    .columns(['account_id', 'ticket_id', 'id'])
    .execute();

  await db.schema
    .createTable('ticket_attachments')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_attachments_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('ticket_attachments_message_idx')
    .on('ticket_attachments')
    .columns(['account_id', 'message_id'])
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('teams_pk', ['account_id', 'id'])
    .addUniqueConstraint('teams_name_uq', ['account_id', 'name_key'])
    .execute();
  await db.schema
    .createTable('team_members')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_members_pk', ['account_id', 'team_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('routing_rules')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('routing_rules_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('routing_rules_org_idx')
    .on('routing_rules')
    .columns(['account_id', 'organization_id', 'position'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text')
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('references', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('sent_at', t.timestamp)
    .addPrimaryKeyConstraint('outbox_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('outbox_status_idx')
    .on('outbox')
    .columns(['account_id', 'status', 'created_at'])
    .execute();

  await db.schema
    .createTable('inbound_emails')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('mail_from', 'text')
    .addColumn('rcpt_to', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('ticket_id', 'text')
    .addColumn('received_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('inbound_emails_pk', ['account_id', 'id'])
    .execute();

  // Reference table: which account an inbound email address belongs to (the SMTP intake's lookup).
  await db.schema
    .createTable('inbound_addresses')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .execute();

  // The built-in roles get the ticket permissions.
  const roles = await db
    .selectFrom('roles')
    .select(['account_id', 'id', 'permissions'])
    .where('built_in', 'is not', null)
    .execute();
  for (const role of roles as { account_id: string; id: string; permissions: string }[]) {
    const permissions = new Set([
      ...(JSON.parse(role.permissions) as string[]),
      ...TICKET_PERMISSIONS,
    ]);
    await db
      .updateTable('roles')
      .set({ permissions: JSON.stringify([...permissions]) })
      .where('account_id', '=', role.account_id)
      .where('id', '=', role.id)
      .execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'inbound_addresses',
    'inbound_emails',
    'outbox',
    'routing_rules',
    'team_members',
    'teams',
    'ticket_attachments',
    'ticket_messages',
    'tickets',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
