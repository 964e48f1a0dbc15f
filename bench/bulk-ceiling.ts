// The import's ceiling: the engine's raw bulk insert of exactly the rows the import created
// (read back from its database, each customer with its identities) into a fresh, migrated table
// set. SQLite: better-sqlite3 prepared INSERTs, 50,000 rows a transaction. PostgreSQL: COPY,
// 50,000 rows a COPY. Only the inserts are timed; reading and building the batches is not.
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import { POSTGRES_SESSION_OPTIONS, SQLITE_PRAGMAS } from '../server/db/connect.ts';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { FreshDatabase } from './fresh-db.ts';

const BATCH = 50_000;

export interface Ceiling {
  method: string;
  rows: number;
  identities: number;
  seconds: number;
  rowsPerSecond: number;
}

type Row = unknown[];

/** Identities as writeCreates() derives them: one per email and per phone, at created_at. */
function identitiesOf(columns: string[], rows: Row[]): Row[] {
  const at = (name: string) => columns.indexOf(name);
  const [account, id, email, phone, created] = [
    at('account_id'),
    at('id'),
    at('email'),
    at('phone'),
    at('created_at'),
  ];
  const out: Row[] = [];
  for (const row of rows) {
    if (row[email]) out.push([row[account], 'email', row[email], row[id], row[created]]);
    if (row[phone]) out.push([row[account], 'phone', row[phone], row[id], row[created]]);
  }
  return out;
}

const IDENTITY_COLUMNS = 'account_id, kind, value, customer_id, created_at';

function result(method: string, rows: number, identities: number, ms: number): Ceiling {
  const seconds = ms / 1000;
  return { method, rows, identities, seconds, rowsPerSecond: rows / seconds };
}

export function sqliteCeiling(
  from: FreshDatabase,
  to: FreshDatabase,
  created: { importId: string; since: string },
): Ceiling {
  const source = new SQLite(from.file ?? '', { readonly: true });
  const target = new SQLite(to.file ?? '');
  try {
    // The pragmas openSqlite() gives the app: the same durability as the import had.
    for (const pragma of SQLITE_PRAGMAS) target.pragma(pragma);
    const columns = (target.pragma('table_info(customers)') as { name: string }[]).map(
      (c) => c.name,
    );
    // Both plans walk the rowid range (EXPLAIN QUERY PLAN). What makes this ceiling slow at 1M
    // is the insert's own FTS5 work: its segment merges delete old segments row by row, and
    // with secure_delete each deleted page is read and zeroed (perf: 40% of the time in pread
    // under fts5IndexMergeLevel → fts5DataDelete). Kunde's import pays the same; issue 17's note.
    const select = source
      .prepare(
        `select ${columns.join(', ')}, rowid from customers
         where rowid > ? and import_id = ? and created_at >= ? order by rowid limit ${BATCH}`,
      )
      .raw();
    const insertCustomer = target.prepare(
      `insert into customers (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    );
    const insertIdentity = target.prepare(
      `insert into customer_identities (${IDENTITY_COLUMNS}) values (?, ?, ?, ?, ?)`,
    );
    const insertBatch = target.transaction((rows: Row[], identities: Row[]) => {
      for (const row of rows) insertCustomer.run(row);
      for (const identity of identities) insertIdentity.run(identity);
    });
    let after = 0;
    let rows = 0;
    let identities = 0;
    let ms = 0;
    for (;;) {
      const batch = select.all(after, created.importId, created.since) as Row[];
      if (batch.length === 0) break;
      after = Number(batch[batch.length - 1]?.[columns.length]);
      const customers = batch.map((row) => row.slice(0, columns.length));
      const ids = identitiesOf(columns, customers);
      const started = performance.now();
      insertBatch(customers, ids);
      ms += performance.now() - started;
      rows += customers.length;
      identities += ids.length;
    }
    return result('better-sqlite3 prepared INSERT, 50k rows/transaction', rows, identities, ms);
  } finally {
    source.close();
    target.close();
  }
}

function copyText(rows: Row[]): string {
  let text = '';
  for (const row of rows) {
    text += `${row
      .map((value) =>
        value === null || value === undefined
          ? '\\N'
          : String(value as string | number)
              .replace(/\\/g, '\\\\')
              .replace(/\t/g, '\\t')
              .replace(/\n/g, '\\n')
              .replace(/\r/g, '\\r'),
      )
      .join('\t')}\n`;
  }
  return text;
}

async function copy(client: pg.Client, table: string, columns: string, text: string) {
  await pipeline(
    Readable.from([Buffer.from(text)]),
    client.query(copyFrom(`copy ${table} (${columns}) from stdin`)),
  );
}

export async function postgresCeiling(
  from: FreshDatabase,
  to: FreshDatabase,
  accountId: string,
  created: { importId: string; since: string },
): Promise<Ceiling> {
  const source = new pg.Client({ connectionString: from.url });
  const target = new pg.Client({ connectionString: to.url, options: POSTGRES_SESSION_OPTIONS });
  await source.connect();
  await target.connect();
  try {
    const found = await target.query<{ name: string }>(
      `select column_name as name from information_schema.columns
       where table_schema = current_schema() and table_name = 'customers' order by ordinal_position`,
    );
    const columns = found.rows.map((r) => r.name);
    const idAt = columns.indexOf('id');
    let after = '';
    let rows = 0;
    let identities = 0;
    let ms = 0;
    for (;;) {
      const batch = await source.query<Row>({
        text: `select ${columns.join(', ')} from customers
               where account_id = $1 and id > $2 and import_id = $3 and created_at >= $4
               order by account_id, id limit ${BATCH}`,
        values: [accountId, after, created.importId, created.since],
        rowMode: 'array',
      });
      if (batch.rows.length === 0) break;
      after = String(batch.rows[batch.rows.length - 1]?.[idAt]);
      const ids = identitiesOf(columns, batch.rows);
      const customersText = copyText(batch.rows);
      const identitiesText = copyText(ids);
      const started = performance.now();
      await copy(target, 'customers', columns.join(', '), customersText);
      await copy(target, 'customer_identities', IDENTITY_COLUMNS, identitiesText);
      ms += performance.now() - started;
      rows += batch.rows.length;
      identities += ids.length;
    }
    return result('COPY FROM STDIN, 50k rows/COPY', rows, identities, ms);
  } finally {
    await source.end();
    await target.end();
  }
}
