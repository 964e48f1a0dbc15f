// SQLite only: FTS5 secure-delete goes off for the search index as a whole. Left on (as the
// erasure migration set it), every import row that changes a customer's search text rewrote the
// index entry in place and the import ran four times slower. The erasure's last step turns it on
// for its own transaction instead (erasure-steps.ts, customerItself), which is the one delete
// that must leave nothing behind.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  if (columnTypes(db).postgres) return;
  await sql`insert into customers_fts(customers_fts, rank) values ('secure-delete', 0)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  if (columnTypes(db).postgres) return;
  await sql`insert into customers_fts(customers_fts, rank) values ('secure-delete', 1)`.execute(db);
}
