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
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { Db, Dialect } from '../server/db/connect.ts';
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
