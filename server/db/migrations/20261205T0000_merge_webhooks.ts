// Issue 15: merging duplicate customers and organizations (reversible for a while), the
// duplicate suggestions Kunde keeps as customers are written, and webhooks.
//
// A merged-away customer or organization keeps its row as a pointer (`merged_into_id`, status
// 'merged' for a customer) so its old id still answers with the survivor; the merge journal
// holds what moved and what was overwritten, which is what an undo puts back. A customer's
// several email addresses and phone numbers are rows of customer_identities as before (the
// primary ones also on the customer row); nothing new is needed for them.
import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('customers').addColumn('merged_into_id', 'text').execute();
  await db.schema.alterTable('organizations').addColumn('merged_into_id', 'text').execute();

  for (const table of ['customer_merges', 'organization_merges'] as const) {
    await db.schema
      .createTable(table)
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('survivor_id', 'text', (c) => c.notNull())
      .addColumn('merged_id', 'text', (c) => c.notNull())
      // JSON: both as they were, the values the survivor took over, and every row that moved.
      .addColumn('journal', t.json, (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('undo_until', t.timestamp, (c) => c.notNull())
      .addColumn('undone_at', t.timestamp)
      .addColumn('undone_by_name', 'text')
      .addPrimaryKeyConstraint(`${table}_pk`, ['account_id', 'id'])
      .execute();
    for (const side of ['survivor', 'merged'] as const)
      await db.schema
        .createIndex(`${table}_${side}_idx`)
        .on(table)
        .columns(['account_id', `${side}_id`, 'created_at'])
        .execute();
  }

  // One row per suspected pair (customer_a < customer_b), its reasons as JSON; a dismissed pair
  // keeps its row so it is never suggested again.
  await db.schema
    .createTable('duplicate_suggestions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_a', 'text', (c) => c.notNull())
    .addColumn('customer_b', 'text', (c) => c.notNull())
    .addColumn('reasons', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('dismissed_at', t.timestamp)
    .addColumn('dismissed_by', 'text')
    .addPrimaryKeyConstraint('duplicate_suggestions_pk', ['account_id', 'id'])
    .addUniqueConstraint('duplicate_suggestions_pair_uq', [
      'account_id',
      'customer_a',
      'customer_b',
    ])
    .execute();
  await db.schema
    .createIndex('duplicate_suggestions_open_idx')
    .on('duplicate_suggestions')
    .columns(['account_id', 'dismissed_at', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('duplicate_suggestions_b_idx')
    .on('duplicate_suggestions')
    .columns(['account_id', 'customer_b'])
    .execute();

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('events', t.json, (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_endpoints_pk', ['account_id', 'id'])
    .execute();

  // One row per event and endpoint, written in the transaction of the change it reports (so no
  // change is reported that did not happen, and none is missed); a job sends it.
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    // The customer the event is about, if any: erasure deletes what is still to be sent.
    .addColumn('customer_id', 'text')
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp)
    .addColumn('response_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('delivered_at', t.timestamp)
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint_idx')
    .on('webhook_deliveries')
    .columns(['account_id', 'endpoint_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_customer_idx')
    .on('webhook_deliveries')
    .columns(['account_id', 'customer_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'webhook_deliveries',
    'webhook_endpoints',
    'duplicate_suggestions',
    'organization_merges',
    'customer_merges',
  ])
    await db.schema.dropTable(table).execute();
  await db.schema.alterTable('organizations').dropColumn('merged_into_id').execute();
  await db.schema.alterTable('customers').dropColumn('merged_into_id').execute();
}
