// The rule that lets Citus shard by account later: every table has account_id, and it leads
// every primary key, unique key and unique index. Reference tables are listed in database.ts.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { NODE_TABLES, REFERENCE_TABLES } from './database.ts';

interface KeyInfo {
  table: string;
  key: string;
  columns: string[];
}

async function sqliteKeys(db: TestDb): Promise<{ tables: Map<string, string[]>; keys: KeyInfo[] }> {
  const tables = new Map<string, string[]>();
  const keys: KeyInfo[] = [];
  const rows = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' and name not like '%_fts%'`.execute(
    db.kysely,
  );
  for (const { name } of rows.rows) {
    const columns = await sql<{
      name: string;
      pk: number;
    }>`select name, pk from pragma_table_info(${name})`.execute(db.kysely);
    tables.set(
      name,
      columns.rows.map((c) => c.name),
    );
    const pk = columns.rows
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    if (pk.length) keys.push({ table: name, key: 'primary key', columns: pk });
    const indexes = await sql<{
      name: string;
      unique: number;
    }>`select name, "unique" from pragma_index_list(${name})`.execute(db.kysely);
    for (const index of indexes.rows.filter((i) => i.unique)) {
      const cols = await sql<{
        name: string;
        seqno: number;
      }>`select name, seqno from pragma_index_info(${index.name})`.execute(db.kysely);
      keys.push({
        table: name,
        key: index.name,
        columns: cols.rows.sort((a, b) => a.seqno - b.seqno).map((c) => c.name),
      });
    }
  }
  return { tables, keys };
}

async function postgresKeys(
  db: TestDb,
): Promise<{ tables: Map<string, string[]>; keys: KeyInfo[] }> {
  const tables = new Map<string, string[]>();
  const columns = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and table_name not like 'kysely_%' order by ordinal_position`.execute(
    db.kysely,
  );
  for (const c of columns.rows)
    tables.set(c.table_name, [...(tables.get(c.table_name) ?? []), c.column_name]);
  const indexes = await sql<{ table: string; key: string; columns: string[] }>`
    select t.relname as table, i.relname as key,
      array(select a.attname::text from unnest(x.indkey) with ordinality k(attnum, n)
            join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n)::text[] as columns
    from pg_index x join pg_class t on t.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
    join pg_namespace ns on ns.oid = t.relnamespace
    where ns.nspname = 'public' and x.indisunique and t.relname not like 'kysely_%'`.execute(
    db.kysely,
  );
  return { tables, keys: indexes.rows };
}

describe.each(testDialects())('schema on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect);
  });
  afterAll(() => db.destroy());

  it('leads every primary and unique key with account_id', async () => {
    const { tables, keys } = dialect === 'sqlite' ? await sqliteKeys(db) : await postgresKeys(db);
    expect(tables.size).toBeGreaterThanOrEqual(10);
    const reference = new Set<string>([...REFERENCE_TABLES, ...NODE_TABLES]);
    const offenders: string[] = [];
    for (const [table, columns] of tables) {
      if (reference.has(table)) continue;
      if (!columns.includes('account_id')) offenders.push(`${table} has no account_id`);
    }
    for (const key of keys) {
      if (reference.has(key.table)) continue;
      if (key.columns[0] !== 'account_id')
        offenders.push(`${key.table}.${key.key} (${key.columns.join(', ')})`);
    }
    expect(offenders).toEqual([]);
    expect(keys.filter((k) => k.table === 'customers').length).toBeGreaterThanOrEqual(2);
  });
});
