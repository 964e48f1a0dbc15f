// Set-password tokens (issue 13 item 1): an invited agent's first password and an
// administrator's password reset, each through a link emailed via the outbox. Only the token's
// SHA-256 is kept; `used_at` makes it single-use and `expires_at` bounds it. Adds a table only.
import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('password_tokens')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .addPrimaryKeyConstraint('password_tokens_pk', ['account_id', 'id'])
    .addUniqueConstraint('password_tokens_hash_uq', ['account_id', 'token_hash'])
    .execute();
  await db.schema
    .createIndex('password_tokens_user_idx')
    .on('password_tokens')
    .columns(['account_id', 'user_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('password_tokens').ifExists().execute();
}
