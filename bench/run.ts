// `npm run bench`: customers, search, list pages and GET by id on SQLite, and on PostgreSQL
// when DATABASE_URL is set, each API figure beside the raw engine's for the same SQL.
//
//   BENCH_CUSTOMERS   customers to generate (1000000)
//   DATABASE_URL      a PostgreSQL server: adds the PostgreSQL run, in a database of its own
//   BENCH_PG_DATABASE that database (kunde_bench; dropped and rebuilt when its data differs)
//   BENCH_DIR         SQLite cache and results.json (.tmp/bench)
//   BENCH_SEARCHES    random ?q= queries (1000)      BENCH_LIST_REQUESTS  per list page (200)
//   BENCH_SECONDS     autocannon and raw loop (10)   BENCH_CONNECTIONS    autocannon (50)
//   BENCH_LOG_LEVEL   the server's log level (warn)  BENCH_SEED           data seed
//   --only sqlite|postgres
import path from 'node:path';
import type { Dialect } from '../server/db/connect.ts';
import { DEFAULT_SEED } from './data.ts';
import { runBench, writeReport, type BenchOptions } from './bench.ts';
import { formatReport } from './report.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
}

function engines(databaseUrl: string | undefined): Dialect[] {
  const at = process.argv.indexOf('--only');
  const only = at >= 0 ? process.argv[at + 1] : undefined;
  if (only !== undefined && only !== 'sqlite' && only !== 'postgres') {
    throw new Error(`--only takes sqlite or postgres, not "${only}"`);
  }
  if (only === 'postgres' && !databaseUrl) throw new Error('--only postgres needs DATABASE_URL');
  if (only) return [only];
  return databaseUrl ? ['sqlite', 'postgres'] : ['sqlite'];
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dir = path.resolve(ROOT, process.env.BENCH_DIR ?? '.tmp/bench');
  const options: BenchOptions = {
    customers: integer('BENCH_CUSTOMERS', 1_000_000),
    seed: integer('BENCH_SEED', DEFAULT_SEED),
    searches: integer('BENCH_SEARCHES', 1000),
    listRequests: integer('BENCH_LIST_REQUESTS', 200),
    seconds: integer('BENCH_SECONDS', 10),
    connections: integer('BENCH_CONNECTIONS', 50),
    dir,
    engines: engines(databaseUrl),
    databaseUrl,
    postgresDatabase: process.env.BENCH_PG_DATABASE ?? 'kunde_bench',
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
    log: (message) => process.stderr.write(`${message}\n`),
  };
  const report = await runBench(options);
  process.stdout.write(`${formatReport(report)}\n`);
  process.stderr.write(`\nwrote ${writeReport(report, dir)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
