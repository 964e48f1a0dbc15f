// Duplicate suggestions (issue 15), kept up as customers are written: what a customer can be
// matched on besides its identities, so that a new or changed customer finds its candidates by
// index and never by scanning customers. Two kinds of key, one row each:
//   'name'  — "<organization id> <folded first and last name>": the same name in the same
//             organization (a name without an organization, or without both parts, has none);
//   'phone' — an E.164 number written somewhere in the customer's custom attributes (not one of
//             its own phones), with the attribute and how it was written in `detail`: the
//             reverse lookup from a phone to whoever mentions it.
// Email subaddresses need nothing new: they are a range of the identities' primary key.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_match_keys')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    // JSON: for a phone, { field, written }; for a name, { name } as the customer wrote it.
    .addColumn('detail', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_match_keys_pk', ['account_id', 'kind', 'key', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('customer_match_keys_customer_idx')
    .on('customer_match_keys')
    .columns(['account_id', 'customer_id'])
    .execute();
  // A customer's open suggestions (its page, and forgetting a merged or erased one) come from
  // the pair's unique key (customer_a first) and this one (customer_b first).
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_match_keys').execute();
}
