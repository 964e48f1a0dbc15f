// The SQLite bench database: migrated and given its account by the app, then filled directly
// with better-sqlite3 in big transactions. The FTS5 index is kept by the app's own triggers.
// Cached as BENCH_DIR/sqlite-N.db with a sidecar .json; a finished file is reused.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { openSqlite } from '../server/db/connect.ts';
import {
  DATA_VERSION,
  benchLogin,
  createBenchAccount,
  generateBatch,
  metaMatches,
  progress,
  type LoadMeta,
  type Log,
  type PreparedDatabase,
  CUSTOMER_COLUMNS,
  pickColumns,
} from './prepare.ts';

const BATCH = 50_000;

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '.json'])
    fs.rmSync(`${file}${suffix}`, { force: true });
}

export async function prepareSqlite(
  dir: string,
  customers: number,
  seed: number,
  log: Log,
): Promise<PreparedDatabase> {
  const file = path.resolve(dir, `sqlite-${customers}.db`);
  const meta = readJson(`${file}.json`);
  if (fs.existsSync(file) && metaMatches(meta, customers, seed)) {
    const db = openSqlite(file);
    const login = await benchLogin(db).finally(() => db.close());
    if (login) {
      log(`sqlite: reusing ${file}`);
      return {
        target: `sqlite:${file}`,
        ...login,
        generation: { seconds: meta.seconds, reused: true },
      };
    }
  }

  removeDatabase(file);
  const building = `${file}.building`;
  removeDatabase(building);
  const db = openSqlite(building);
  const login = await createBenchAccount(db).finally(() => db.close());

  const started = performance.now();
  loadCustomers(building, login.accountId, customers, seed, log);
  const seconds = (performance.now() - started) / 1000;
  fs.renameSync(building, file);
  const written: LoadMeta = { version: DATA_VERSION, customers, seed, seconds };
  fs.writeFileSync(`${file}.json`, JSON.stringify(written));
  log(`sqlite: ${customers.toLocaleString('en')} customers in ${seconds.toFixed(1)} s`);
  return { target: `sqlite:${file}`, ...login, generation: { seconds, reused: false } };
}

function loadCustomers(
  file: string,
  accountId: string,
  customers: number,
  seed: number,
  log: Log,
): void {
  const db = new SQLite(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1048576');
    db.pragma('temp_store = MEMORY');
    const present = new Set(
      (db.pragma('table_info(customers)') as { name: string }[]).map((column) => column.name),
    );
    const columns = CUSTOMER_COLUMNS.filter((column) => present.has(column));
    const insertCustomer = db.prepare(
      `insert into customers (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    const insertIdentity = db.prepare(
      'insert into customer_identities (account_id, kind, value, customer_id, created_at) values (?, ?, ?, ?, ?)',
    );
    const insertBatch = db.transaction((from: number, to: number) => {
      for (const { row, identities } of generateBatch(seed, from, to, customers, accountId)) {
        insertCustomer.run(pickColumns(row, columns));
        for (const identity of identities) {
          insertIdentity.run(accountId, identity.kind, identity.value, row.id, row.created_at);
        }
      }
    });
    const started = performance.now();
    for (let from = 0; from < customers; from += BATCH) {
      const to = Math.min(customers, from + BATCH);
      insertBatch(from, to);
      if (to % (BATCH * 4) === 0 || to === customers)
        progress(log, 'sqlite: customers', to, customers, started);
    }
    // The app's counter: the next customer created through the API gets number N + 1.
    db.prepare(
      `insert into counters (account_id, name, value) values (?, 'customer', ?)
       on conflict (account_id, name) do update set value = excluded.value`,
    ).run(accountId, customers);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
