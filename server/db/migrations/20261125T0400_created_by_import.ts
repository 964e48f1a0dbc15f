// Which import created a customer, and from which row of its file. The audit trail shows an
// imported customer's creation from this and the import's record (who, when, which file) instead
// of storing a copy of every row's values per customer: a million-row import used to write a
// million audit rows, 40% of the database, each a copy of personal data to erase on request.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('created_import_id', 'text').execute();
  await db.schema.alterTable('customers').addColumn('created_import_row', 'integer').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').dropColumn('created_import_row').execute();
  await db.schema.alterTable('customers').dropColumn('created_import_id').execute();
}
