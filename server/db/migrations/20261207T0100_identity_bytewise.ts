// Email addresses and phone numbers compare byte for byte on PostgreSQL, whatever the cluster's
// collation. Kunde writes them normalized (lower-case addresses, E.164 numbers) and reads them
// as exact values and as byte ranges: duplicate suggestions find `ola+support@x.no` for
// `ola@x.no` by the primary key's range from `ola+` to `ola,`. Under a cluster collated by
// language rules (ICU or glibc en_US.UTF-8, the default of many installations) punctuation is
// ignored at first, `ola+support@x.no` sorts after `ola,`, and that range is empty: the
// suggestion was silently never made. The test clusters are C.UTF-8, where byte order holds,
// which is why only a test on an ICU-collated database (db/collation.test.ts) showed it.
// Bytewise comparison is also cheaper than a language collation on every key comparison of
// these two much-written indexes. SQLite compares text bytewise already (BINARY).
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  if (!columnTypes(db).postgres) return;
  await sql`alter table customer_identities alter column value type text collate "C"`.execute(db);
  await sql`alter table customer_match_keys alter column key type text collate "C"`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  if (!columnTypes(db).postgres) return;
  await sql`alter table customer_identities alter column value type text collate "default"`.execute(
    db,
  );
  await sql`alter table customer_match_keys alter column key type text collate "default"`.execute(
    db,
  );
}
