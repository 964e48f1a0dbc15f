// Opens the database the configuration names: SQLite (better-sqlite3) or PostgreSQL (pg pool).
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Database } from './database.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL only: the pool, for COPY and other work Kysely does not cover. */
  pgPool?: pg.Pool;
  /** SQLite only: the connection, for bulk work through prepared statements. */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

// PostgreSQL hands back Date objects, parsed JSON and bigint strings; Kunde wants the same
// plain values SQLite gives: ISO strings, JSON text and numbers.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value) => new Date(value).toISOString());
pg.types.setTypeParser(pg.types.builtins.JSONB, (value) => value);
pg.types.setTypeParser(pg.types.builtins.JSON, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/** Every SQLite connection Kunde opens; the benchmarks' raw engine uses the same. */
export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  // 32 MB of pages. SQLite allocates about half as much again around them, and the OS caches the
  // file too; 64 MB put a million-row import over its 300 MB memory budget for 4% more speed.
  'cache_size = -32768',
  'temp_store = MEMORY',
  // Erasure (issue 11): deleted rows are overwritten with zeros rather than left in free space,
  // so an erased customer is not in the database file either. It costs writes on deletes only.
  'secure_delete = ON',
  // Planner statistics (issue 13): with none, SQLite lists a scoped agent's customers by walking
  // every customer of the account against the scope's id set (a count at 1M reads them all);
  // with sqlite_stat1 it probes the primary key per id in scope. Kunde never ran ANALYZE, so on
  // open: analyze the tables that have no statistics or stale ones, sampling 1,000 rows per
  // index (0.7 s once at 200k customers, a check only afterwards).
  'analysis_limit = 1000',
  'optimize = 0x10002',
];

/** Distinct statements kept compiled (a batch's `in (?, ?, …)` of each length is one of them). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as Kysely's SQLite driver sees it, with its statements kept: the driver calls
 * prepare() for every query it runs, and compiling the SQL again was an eighth of the CPU of a
 * sender lookup. The least recently used statement goes once STATEMENT_CACHE_SIZE are kept. A
 * statement still being iterated (a stream the caller has not finished) is never handed out
 * again; a fresh one is compiled for that call instead. prepare() is looked up per miss, so a
 * check wrapped around the connection's (the tests' account scope) still sees every new SQL.
 */
function withStatementCache(database: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(source: string): SQLite.Statement {
      const kept = cache.get(source);
      if (kept && !kept.busy) {
        cache.delete(source);
        cache.set(source, kept);
        return kept;
      }
      const statement = database.prepare(source);
      if (kept) return statement;
      cache.set(source, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
    close: () => database.close(),
  };
}

export function openSqlite(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  for (const pragma of SQLITE_PRAGMAS) database.pragma(pragma);
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
  });
  return {
    kysely,
    sqlite: database,
    dialect: 'sqlite',
    close: () => kysely.destroy(),
  };
}

/**
 * The session settings of every Kunde connection to PostgreSQL (and of the benchmark's raw
 * ceilings, so they measure the same engine):
 * - plan_cache_mode: search with LIMIT under a generic plan walks the primary key; always plan
 *   with the values.
 * - jit off: PostgreSQL compiles a statement to machine code when its estimated cost is high,
 *   and the estimate of an index walk per row of an array (duplicate upkeep's subaddress ranges,
 *   lookups of 5,000 ids) is in the millions while the walk takes milliseconds. At a million
 *   customers the compilation took 80-100 ms of a 6 ms statement, a thousand times per import
 *   (97 s of a 343 s import). Kunde's statements are short; none gains from JIT.
 */
export const POSTGRES_SESSION_OPTIONS = '-c plan_cache_mode=force_custom_plan -c jit=off';

export function openPostgres(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: POSTGRES_SESSION_OPTIONS,
  });
  // An idle connection dropped by the server (restart, failover) is replaced on next use;
  // without this listener the error would take the whole process down.
  pool.on('error', (error) => {
    if ((error as { code?: string }).code !== '57P01')
      console.error('PostgreSQL connection lost:', error.message);
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    pgPool: pool,
    dialect: 'postgres',
    close: () => kysely.destroy(),
  };
}

export function openDatabase(config: Pick<Config, 'database'>): Db {
  return config.database.dialect === 'postgres'
    ? openPostgres(config.database.url)
    : openSqlite(config.database.file);
}

/**
 * Runs work in one PostgreSQL transaction on one pooled client, giving it both the raw client
 * (for COPY) and a Kysely bound to that client.
 */
export async function withPgClientTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient, kysely: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const bound = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: {
        connect: () =>
          Promise.resolve({
            query: (text: string, values: unknown[]) => client.query(text, values),
            release: () => undefined,
          }),
        end: () => Promise.resolve(),
      } as unknown as pg.Pool,
    }),
  });
  try {
    await client.query('begin');
    const result = await work(client, bound);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** True when the database answers; used by /api/health. */
export async function ping(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db.kysely);
    return true;
  } catch {
    return false;
  }
}
