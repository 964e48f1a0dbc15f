// SQLite only: let the full-text index merge its segments 16 at a time instead of 4. Bulk imports
// commit a segment per batch; wider merges mean fewer passes over the index for the same rows.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  if (columnTypes(db).postgres) return;
  await sql`insert into customers_fts(customers_fts, rank) values ('automerge', 16)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  if (columnTypes(db).postgres) return;
  await sql`insert into customers_fts(customers_fts, rank) values ('automerge', 4)`.execute(db);
}
