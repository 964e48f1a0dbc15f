// Whole-database text for the residue scans of the erasure tests: every row of every table as
// read through the connection, and on PostgreSQL a real pg_dump of the database as well (what
// an administrator's backup would hold: schema, every row, sequences), found the way
// `kunde backup` finds it (server/backup/backup.ts). The files of the data directory are the
// tests' own business.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { pgProgram, run } from '../backup/backup.ts';
import type { Db } from '../db/connect.ts';

/** Every row of every table, as `table: [rows as JSON]` lines. */
export async function rowsAsText(db: Db): Promise<string> {
  const tables =
    db.dialect === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table'`.execute(db.kysely)
        ).rows.map((r) => r.name)
      : (
          await sql<{
            table_name: string;
          }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(
            db.kysely,
          )
        ).rows.map((r) => r.table_name);
  const parts: string[] = [];
  for (const name of tables) {
    const rows = await sql`select * from ${sql.table(name)}`.execute(db.kysely);
    parts.push(`${name}: ${JSON.stringify(rows.rows)}`);
  }
  return parts.join('\n');
}

/**
 * `pg_dump` of the database at `url` in plain SQL text. Throws when no pg_dump is installed: a
 * residue scan that silently skipped the dump would prove nothing.
 */
export async function pgDumpText(url: string): Promise<string> {
  const program = pgProgram('pg_dump');
  if (!program) throw new Error('pg_dump was not found (install postgresql-client)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-dump-'));
  const file = path.join(dir, 'dump.sql');
  try {
    await run(program, ['--format=plain', '--no-owner', `--file=${file}`, `--dbname=${url}`]);
    return fs.readFileSync(file, 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
