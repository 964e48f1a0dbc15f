// Accounts, agents, roles, sessions, API tokens, customers, their identities and audit trail.
// Every table leads its primary and unique keys with account_id (Citus distribution column);
// login_directory is the one reference table.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('accounts')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('settings', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('counters_pk', ['account_id', 'name'])
    .execute();

  await db.schema
    .createTable('roles')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('permissions', t.json, (c) => c.notNull())
    .addColumn('built_in', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('roles_pk', ['account_id', 'id'])
    .addUniqueConstraint('roles_name_uq', ['account_id', 'name'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('users_pk', ['account_id', 'id'])
    .addUniqueConstraint('users_email_uq', ['account_id', 'email'])
    .execute();

  await db.schema
    .createTable('login_directory')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('sessions_pk', ['account_id', 'id_hash'])
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .addPrimaryKeyConstraint('api_tokens_pk', ['account_id', 'id'])
    .addUniqueConstraint('api_tokens_hash_uq', ['account_id', 'token_hash'])
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('number', 'bigint', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('custom_attributes', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_via', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('last_activity_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('customers_pk', ['account_id', 'id'])
    .addUniqueConstraint('customers_number_uq', ['account_id', 'number'])
    .execute();
  await db.schema
    .createIndex('customers_status_number_idx')
    .on('customers')
    .columns(['account_id', 'status', 'number'])
    .execute();

  if (t.postgres) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index customers_search_trgm_idx on customers using gin (search_text gin_trgm_ops)`.execute(
      db,
    );
  } else {
    // An external-content FTS5 trigram index over search_text, kept in sync by triggers.
    await sql`create virtual table customers_fts using fts5(search_text, content='customers', content_rowid='rowid', tokenize='trigram')`.execute(
      db,
    );
    await sql`create trigger customers_fts_insert after insert on customers begin
      insert into customers_fts(rowid, search_text) values (new.rowid, new.search_text);
    end`.execute(db);
    await sql`create trigger customers_fts_delete after delete on customers begin
      insert into customers_fts(customers_fts, rowid, search_text) values ('delete', old.rowid, old.search_text);
    end`.execute(db);
    await sql`create trigger customers_fts_update after update of search_text on customers begin
      insert into customers_fts(customers_fts, rowid, search_text) values ('delete', old.rowid, old.search_text);
      insert into customers_fts(rowid, search_text) values (new.rowid, new.search_text);
    end`.execute(db);
  }

  await db.schema
    .createTable('customer_identities')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_identities_pk', ['account_id', 'kind', 'value'])
    .execute();
  await db.schema
    .createIndex('customer_identities_customer_idx')
    .on('customer_identities')
    .columns(['account_id', 'customer_id'])
    .execute();

  await db.schema
    .createTable('customer_audit')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('changes', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_audit_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('customer_audit_customer_idx')
    .on('customer_audit')
    .columns(['account_id', 'customer_id', 'id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'customer_audit',
    'customer_identities',
    'customers',
    'api_tokens',
    'sessions',
    'login_directory',
    'users',
    'roles',
    'counters',
    'accounts',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`drop table if exists customers_fts`.execute(db).catch(() => undefined);
}
