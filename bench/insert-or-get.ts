// The find-or-create ceiling: the engine's own insert-or-get on the identities table, straight
// through the driver. SQLite: prepared INSERT … ON CONFLICT DO NOTHING RETURNING, then a SELECT
// when it inserted nothing (better-sqlite3 is synchronous: one at a time, as fast as it goes).
// PostgreSQL: the same in one statement (a CTE), a SELECT when a racing insert hid the row; a pool
// the size of the app's with `concurrency` operations in flight.
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { POSTGRES_SESSION_OPTIONS, SQLITE_PRAGMAS } from '../server/db/connect.ts';
import pg from 'pg';
import { newId } from '../server/db/ids.ts';
import type { FreshDatabase } from './fresh-db.ts';

export interface RawInsertOrGet {
  method: string;
  operations: number;
  concurrency: number;
  seconds: number;
  opsPerSecond: number;
  /** Identities it inserted (the new senders). */
  inserted: number;
}

const INSERT = `insert into customer_identities (account_id, kind, value, customer_id, created_at)
  values ($1, 'email', $2, $3, $4) on conflict do nothing returning customer_id`;
const SELECT = `select customer_id from customer_identities
  where account_id = $1 and kind = 'email' and value = $2`;

function finish(
  method: string,
  operations: number,
  concurrency: number,
  ms: number,
  inserted: number,
): RawInsertOrGet {
  const seconds = ms / 1000;
  return { method, operations, concurrency, seconds, opsPerSecond: operations / seconds, inserted };
}

export function sqliteInsertOrGet(
  fresh: FreshDatabase,
  accountId: string,
  emails: readonly string[],
): RawInsertOrGet {
  const db = new SQLite(fresh.file ?? '');
  try {
    for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
    const positional = (sql: string) => sql.replace(/\$\d/g, '?');
    const insert = db.prepare<unknown[], { customer_id: string }>(positional(INSERT));
    const select = db.prepare<unknown[], { customer_id: string }>(positional(SELECT));
    let inserted = 0;
    const started = performance.now();
    for (const email of emails) {
      const row = insert.get(accountId, email, newId(), new Date().toISOString());
      if (row) inserted += 1;
      else if (!select.get(accountId, email)) throw new Error(`no owner for ${email}`);
    }
    const ms = performance.now() - started;
    return finish(
      'INSERT … ON CONFLICT DO NOTHING RETURNING, SELECT on miss',
      emails.length,
      1,
      ms,
      inserted,
    );
  } finally {
    db.close();
  }
}

export async function postgresInsertOrGet(
  fresh: FreshDatabase,
  accountId: string,
  emails: readonly string[],
  concurrency: number,
  poolSize = 10,
): Promise<RawInsertOrGet> {
  const pool = new pg.Pool({
    connectionString: fresh.url,
    max: poolSize,
    options: POSTGRES_SESSION_OPTIONS,
  });
  const oneStatement = `with inserted as (${INSERT})
    select customer_id from inserted union all ${SELECT} limit 1`;
  let inserted = 0;
  let next = 0;
  const worker = async () => {
    while (next < emails.length) {
      const email = emails[next++] as string;
      const id = newId();
      const found = await pool.query<{ customer_id: string }>(oneStatement, [
        accountId,
        email,
        id,
        new Date().toISOString(),
      ]);
      const owner =
        found.rows[0]?.customer_id ??
        (await pool.query<{ customer_id: string }>(SELECT, [accountId, email])).rows[0]
          ?.customer_id;
      if (!owner) throw new Error(`no owner for ${email}`);
      if (owner === id) inserted += 1;
    }
  };
  try {
    await pool.query('select 1');
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const ms = performance.now() - started;
    return finish(
      'INSERT … ON CONFLICT DO NOTHING RETURNING in a CTE with the SELECT, one round trip',
      emails.length,
      concurrency,
      ms,
      inserted,
    );
  } finally {
    await pool.end();
  }
}
