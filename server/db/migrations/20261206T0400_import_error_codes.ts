// Issue 16 point 2: each row an import did not take keeps its reason's stable code and params
// (common/import-reasons.ts, or a refused cell's field error code) beside the English sentence,
// so the error report and the fix file can say it in the agent's language. Both nullable: rows
// written before keep only the sentence, and the report reads the code back out of it where it
// can. Only adds columns: the release before ignores them.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customer_import_errors').addColumn('code', 'text').execute();
  // JSON of the params, as the API sends them ({"row":2}); null when the code has none.
  await db.schema.alterTable('customer_import_errors').addColumn('params', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customer_import_errors').dropColumn('params').execute();
  await db.schema.alterTable('customer_import_errors').dropColumn('code').execute();
}
