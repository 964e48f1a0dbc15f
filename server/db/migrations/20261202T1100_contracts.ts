// Contracts per organization (issue 12): what the company bought, with an optional budget of
// hours; time entries on tickets; their audit trail; notification groups and their members.
// Hours are kept in whole minutes, so sums never drift. `used_minutes` is the contract's counter,
// moved in the same transaction as each time entry, so reading hours used is never a scan;
// `threshold_notified` makes the threshold mail go out once per crossing.
import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('contracts')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('purchase_order', 'text')
    .addColumn('customer_contact_id', 'text', (c) => c.notNull())
    .addColumn('support_contact_id', 'text', (c) => c.notNull())
    .addColumn('support_manager_id', 'text')
    .addColumn('start_date', 'text')
    .addColumn('end_date', 'text')
    .addColumn('has_hour_restriction', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('budget_minutes', 'integer')
    .addColumn('threshold_minutes', 'integer')
    .addColumn('used_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('threshold_notified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('contracts_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('contracts_organization_idx')
    .on('contracts')
    .columns(['account_id', 'organization_id', 'id'])
    .execute();

  await db.schema.alterTable('tickets').addColumn('contract_id', 'text').execute();
  await db.schema
    .createIndex('tickets_contract_idx')
    .on('tickets')
    .columns(['account_id', 'contract_id', 'number'])
    .execute();

  await db.schema
    .createTable('time_entries')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    // The ticket's contract when logged (moved with the ticket): the contract's entries and its
    // monthly CSV are an index range, not a join over every ticket.
    .addColumn('contract_id', 'text')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('work_date', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('over_limit_confirmed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('time_entries_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('time_entries_ticket_idx')
    .on('time_entries')
    .columns(['account_id', 'ticket_id', 'id'])
    .execute();
  await db.schema
    .createIndex('time_entries_contract_idx')
    .on('time_entries')
    .columns(['account_id', 'contract_id', 'work_date', 'id'])
    .execute();

  await db.schema
    .createTable('time_entry_audit')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('time_entry_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    // Ids only (agents by id); names are read when the trail is shown.
    .addColumn('changes', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('time_entry_audit_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('time_entry_audit_ticket_idx')
    .on('time_entry_audit')
    .columns(['account_id', 'ticket_id', 'id'])
    .execute();

  await db.schema
    .createTable('notification_groups')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('events', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_groups_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('notification_groups_name_key')
    .on('notification_groups')
    .columns(['account_id', 'organization_id', 'name_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('notification_group_members')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('email', 'text')
    // kind:id or email:address, so one person is in a group once.
    .addColumn('member_key', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_group_members_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('notification_group_members_key')
    .on('notification_group_members')
    .columns(['account_id', 'group_id', 'member_key'])
    .unique()
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_group_members').ifExists().execute();
  await db.schema.dropTable('notification_groups').ifExists().execute();
  await db.schema.dropTable('time_entry_audit').ifExists().execute();
  await db.schema.dropTable('time_entries').ifExists().execute();
  await db.schema.dropIndex('tickets_contract_idx').ifExists().execute();
  await db.schema.alterTable('tickets').dropColumn('contract_id').execute();
  await db.schema.dropTable('contracts').ifExists().execute();
}
