// Issue 16: the customer list sorts by name, email, created and last activity as an index walk
// (keyset paging reads one page of the index, never sorts the account's customers). Each index
// leads with account_id and status, as every list filters on both, and ends with number, the
// tie-breaker the cursor carries. The expressions are the ones customer-sort.repository.ts
// orders by (SORT_KEYS), character for character: both engines use an expression index only
// for the same expression. Sorting by organization walks organizations_name_uq and, per
// organization, customers_org_number_idx; sorting by number has customers_status_number_idx.
// Only adds indexes: the release before ignores them.
import { sql, type Kysely } from 'kysely';

const INDEXES = {
  customers_sort_name_idx: sql`account_id, status, lower(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))), number`,
  customers_sort_email_idx: sql`account_id, status, coalesce(email, ''), number`,
  customers_sort_created_idx: sql`account_id, status, created_at, number`,
  customers_sort_activity_idx: sql`account_id, status, coalesce(last_activity_at, created_at), number`,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, columns] of Object.entries(INDEXES))
    await db.schema.createIndex(name).on('customers').expression(columns).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  for (const name of Object.keys(INDEXES)) await db.schema.dropIndex(name).ifExists().execute();
}
