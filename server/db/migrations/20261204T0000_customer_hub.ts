// The Customer Hub (issue 14): a customer's sign-in (password hash, kept apart from the customer
// row so exports and lists never carry it), their Hub sessions, single-use links (sign-in, set
// password, confirm a registration: only the SHA-256 kept), the organizations whose tickets an
// agent let them see, the per-customer access switch, the account's Hub address, and on
// ticket messages the internal-note flag (never shown in the Hub) and when the customer saw it.
import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  // The Hub's address, /hub/<slug>: a global lookup made before the account is known (a
  // reference table under Citus, like login_directory); one address per account.
  await db.schema
    .createTable('hub_addresses')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .alterTable('customers')
    .addColumn('hub_access', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .alterTable('ticket_messages')
    .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('ticket_messages').addColumn('hub_seen_at', t.timestamp).execute();

  // The Hub lists a customer's tickets, or an organization's, newest activity first
  // (server/hub/hub-ticket.repository.ts): served in order from these, no sort of 10,000 rows.
  await db.schema
    .createIndex('tickets_requester_activity_idx')
    .on('tickets')
    .columns(['account_id', 'requester_id', 'last_message_at', 'id'])
    .execute();
  await db.schema
    .createIndex('tickets_org_activity_idx')
    .on('tickets')
    .columns(['account_id', 'organization_id', 'last_message_at', 'id'])
    .execute();

  await db.schema
    .createTable('hub_logins')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('locale', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_sign_in_at', t.timestamp)
    .addPrimaryKeyConstraint('hub_logins_pk', ['account_id', 'customer_id'])
    .execute();

  await db.schema
    .createTable('hub_sessions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('hub_sessions_pk', ['account_id', 'id_hash'])
    .execute();
  await db.schema
    .createIndex('hub_sessions_customer_idx')
    .on('hub_sessions')
    .columns(['account_id', 'customer_id'])
    .execute();

  // purpose: sign_in (magic link), password (set or reset), register (confirm a new address:
  // no customer yet, so the email and name travel with the token).
  await db.schema
    .createTable('hub_tokens')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .addPrimaryKeyConstraint('hub_tokens_pk', ['account_id', 'token_hash'])
    .execute();
  await db.schema
    .createIndex('hub_tokens_customer_idx')
    .on('hub_tokens')
    .columns(['account_id', 'customer_id'])
    .execute();

  await db.schema
    .createTable('hub_organization_grants')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addPrimaryKeyConstraint('hub_organization_grants_pk', [
      'account_id',
      'customer_id',
      'organization_id',
    ])
    .execute();
  await db.schema
    .createIndex('hub_organization_grants_org_idx')
    .on('hub_organization_grants')
    .columns(['account_id', 'organization_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['hub_organization_grants', 'hub_tokens', 'hub_sessions', 'hub_logins']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.dropIndex('tickets_org_activity_idx').ifExists().execute();
  await db.schema.dropIndex('tickets_requester_activity_idx').ifExists().execute();
  await db.schema.alterTable('ticket_messages').dropColumn('hub_seen_at').execute();
  await db.schema.alterTable('ticket_messages').dropColumn('internal').execute();
  await db.schema.alterTable('customers').dropColumn('hub_access').execute();
  await db.schema.dropTable('hub_addresses').ifExists().execute();
}
