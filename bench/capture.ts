// The raw figures run the very SQL the app sends: the repository functions are called on a
// Kysely whose driver records each compiled query instead of running it.
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  PostgresDialect,
  SqliteDialect,
  type LogEvent,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import { openPostgres, openSqlite, type Db, type Dialect } from '../server/db/connect.ts';
import type { Database } from '../server/db/database.ts';

export interface RawQuery {
  sql: string;
  parameters: readonly unknown[];
}

class CapturingConnection implements DatabaseConnection {
  constructor(private readonly sink: RawQuery[]) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    this.sink.push({ sql: query.sql, parameters: query.parameters });
    // No rows, except a zero for counts (which executeTakeFirstOrThrow() insists on).
    const rows = /\bcount\(/i.test(query.sql) ? [{ count: 0 } as R] : [];
    return Promise.resolve({ rows });
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('capture: streaming is not supported');
  }
}

class CapturingDriver implements Driver {
  constructor(private readonly sink: RawQuery[]) {}
  init = () => Promise.resolve();
  acquireConnection = () => Promise.resolve(new CapturingConnection(this.sink));
  beginTransaction = () => Promise.resolve();
  commitTransaction = () => Promise.resolve();
  rollbackTransaction = () => Promise.resolve();
  releaseConnection = () => Promise.resolve();
  destroy = () => Promise.resolve();
}

/** Runs `work` against a recording database of the dialect and returns the queries it sent, in order. */
export async function captureQueries(
  dialect: Dialect,
  work: (db: Db) => Promise<unknown>,
): Promise<RawQuery[]> {
  const sink: RawQuery[] = [];
  const postgres = dialect === 'postgres';
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => (postgres ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new CapturingDriver(sink),
      createIntrospector: (k) =>
        postgres ? new PostgresIntrospector(k) : new SqliteIntrospector(k),
      createQueryCompiler: () =>
        postgres ? new PostgresQueryCompiler() : new SqliteQueryCompiler(),
    },
  });
  await work({ kysely: db, dialect, close: () => db.destroy() });
  await db.destroy();
  return sink;
}

/** A captured query with one parameter value swapped, for hot loops that cannot afford Kysely. */
export function rebind(query: RawQuery, placeholder: unknown, value: unknown): RawQuery {
  if (!query.parameters.includes(placeholder))
    throw new Error('rebind: placeholder not in the query');
  return {
    sql: query.sql,
    parameters: query.parameters.map((p) => (p === placeholder ? value : p)),
  };
}

const bases = new Map<string, Db>();

/**
 * Runs `work` on the real database (the bench's data) and returns the queries it sent, in order,
 * with their real parameters: for query sequences that depend on earlier results (SQLite search
 * looks up its full-text matches first, then fetches them by rowid). Safe to call concurrently.
 */
export async function recordQueries(
  target: string,
  dialect: Dialect,
  work: (db: Db) => Promise<unknown>,
): Promise<RawQuery[]> {
  let base = bases.get(target);
  if (!base) {
    base =
      dialect === 'postgres' ? openPostgres(target, 2) : openSqlite(target.replace(/^sqlite:/, ''));
    bases.set(target, base);
  }
  const sink: RawQuery[] = [];
  const log = (event: LogEvent) => {
    sink.push({ sql: event.query.sql, parameters: event.query.parameters });
  };
  // A Kysely of its own per call (so concurrent calls keep separate logs) over the shared
  // connection; never destroyed, as that would close the shared connection.
  const kysely =
    dialect === 'postgres'
      ? new Kysely<Database>({
          dialect: new PostgresDialect({ pool: base.pgPool as pg.Pool }),
          log,
        })
      : new Kysely<Database>({
          dialect: new SqliteDialect({ database: base.sqlite as SQLite.Database }),
          log,
        });
  // The second run is the steady state (the first may remember a counter on first use).
  await work({ kysely, dialect, close: () => Promise.resolve() });
  sink.length = 0;
  await work({ kysely, dialect, close: () => Promise.resolve() });
  // Reads only: a one-off write (a counter remembered on first use) is not part of the request.
  return sink.filter((q) => /^\s*(select|with)\b/i.test(q.sql));
}

export async function closeRecorders(): Promise<void> {
  for (const base of bases.values()) await base.close();
  bases.clear();
}
