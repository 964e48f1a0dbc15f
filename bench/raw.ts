// The engine on its own: the captured SQL run directly through better-sqlite3 (prepared once) or
// a pg pool the size of the app's, in the same process that measures it.
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { POSTGRES_SESSION_OPTIONS, SQLITE_PRAGMAS } from '../server/db/connect.ts';
import pg from 'pg';
import type { Dialect } from '../server/db/connect.ts';
import type { RawQuery } from './capture.ts';

export interface Timed {
  ms: number;
  rows: unknown[][];
}

export interface RawEngine {
  dialect: Dialect;
  /** Runs the queries as the app does (SQLite one after another, PostgreSQL at once on the pool). */
  time(queries: readonly RawQuery[]): Promise<Timed>;
  /** Runs `next()` queries for `seconds` with `concurrency` in flight; returns operations per second. */
  throughput(next: () => RawQuery, seconds: number, concurrency: number): Promise<number>;
  close(): Promise<void>;
}

/** better-sqlite3 with the pragmas openSqlite() sets; statements prepared once (the engine's best). */
export function rawSqlite(file: string): RawEngine {
  const db = new SQLite(file);
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  const statements = new Map<string, SQLite.Statement<unknown[]>>();
  const run = (query: RawQuery): unknown[] => {
    let statement = statements.get(query.sql);
    if (!statement) {
      statement = db.prepare<unknown[]>(query.sql);
      statements.set(query.sql, statement);
    }
    return statement.all(query.parameters);
  };
  return {
    dialect: 'sqlite',
    time(queries) {
      const start = performance.now();
      const rows = queries.map(run);
      return Promise.resolve({ ms: performance.now() - start, rows });
    },
    throughput(next, seconds) {
      const end = performance.now() + seconds * 1000;
      const start = performance.now();
      let operations = 0;
      let now = start;
      while (now < end) {
        for (let k = 0; k < 64; k++) run(next());
        operations += 64;
        now = performance.now();
      }
      return Promise.resolve((operations * 1000) / (now - start));
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

/** A pg pool like openPostgres(): same size, same session settings, unnamed statements. */
export function rawPostgres(url: string, poolSize = 10): RawEngine {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: POSTGRES_SESSION_OPTIONS,
  });
  const run = async (query: RawQuery): Promise<unknown[]> =>
    (await pool.query(query.sql, query.parameters as unknown[])).rows as unknown[];
  return {
    dialect: 'postgres',
    async time(queries) {
      const start = performance.now();
      const rows = await Promise.all(queries.map(run));
      return { ms: performance.now() - start, rows };
    },
    async throughput(next, seconds, concurrency) {
      const start = performance.now();
      const end = start + seconds * 1000;
      let operations = 0;
      const worker = async () => {
        while (performance.now() < end) {
          await run(next());
          operations += 1;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return (operations * 1000) / (performance.now() - start);
    },
    close: () => pool.end(),
  };
}
