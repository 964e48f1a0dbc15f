// Issue 18 item 3: failed-login throttling shared by every node on one database. One row per
// limiter and key (an agent's email, a client IP, a Hub account+email) counting the attempts of
// its current window; the key is stored as a SHA-256 hash, so the table holds no email address
// or IP (nothing here for an erasure or a backup to worry about) and rows older than their
// window are deleted as nodes go. It has no account_id on purpose: a login is throttled before
// any account is known (and an IP spans accounts), so it is a coordinator-local table on Citus
// (database.ts NODE_TABLES, docs/SCALING.md).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('limiter', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    // Milliseconds since the epoch: compared with the node's clock, never shown.
    .addColumn('reset_at', 'bigint', (c) => c.notNull())
    // Which reservation the last counted attempt was (refused attempts leave it), so a node
    // learns from one statement whether its attempt was counted.
    .addColumn('last_reservation', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_throttle_pk', ['limiter', 'key_hash'])
    .execute();
  await db.schema
    .createIndex('login_throttle_reset_idx')
    .on('login_throttle')
    .column('reset_at')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute();
}
