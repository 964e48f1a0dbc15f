// `npm run bench`: customers, search, list pages and GET by id on SQLite, and on PostgreSQL
// when DATABASE_URL is set, each API figure beside the raw engine's for the same SQL; then the
// CSV import (import-suite.ts) and the SMTP intake and find-or-create (intake-suite.ts), each
// beside the engine's raw ceiling measured in the same run.
//
//   BENCH_CUSTOMERS   customers to generate (1000000)
//   DATABASE_URL      a PostgreSQL server: adds the PostgreSQL run, in a database of its own
//   BENCH_PG_DATABASE that database (kunde_bench; dropped and rebuilt when its data differs)
//   BENCH_DIR         SQLite cache and results.json (.tmp/bench)
//   BENCH_SEARCHES    random ?q= queries (1000)      BENCH_LIST_REQUESTS  per list page (200)
//   BENCH_SECONDS     autocannon and raw loop (10)   BENCH_CONNECTIONS    autocannon, SMTP, f-o-c (50)
//   BENCH_LOG_LEVEL   the server's log level (warn)  BENCH_SEED           data seed
//   BENCH_IMPORT_ROWS      rows in the import file (1000000)
//   BENCH_INTAKE_MESSAGES  messages through SMTP (10000)   BENCH_INTAKE_SENDERS  known senders (300)
//   BENCH_FIND_OR_CREATE   in-process find-or-create operations (10000)
//   KUNDE_IMPORT_BATCH_SIZE  passed on to Kunde          BENCH_KUNDE_NODE_OPTIONS  its node flags
//   BENCH_DUPLICATE_UPKEEP  on, off or both: the import with duplicate suggestion upkeep, without, or
//                          each in turn (on)
//   BENCH_IMPORT_CEILING   off: the import without its raw ceiling (at 1M on SQLite it runs over an hour)
//   BENCH_ERASE_TICKETS    tickets of the exported and erased customer (10000), 5 messages each
//   BENCH_PURGE_CUSTOMERS  inactive customers the retention purge erases (100000)
//   BENCH_CONTRACT_TICKETS  tickets on the contract (10000)  BENCH_CONTRACT_ENTRIES  time entries (100000)
//   BENCH_CONTRACT_REQUESTS requests per contract measure (200)  BENCH_CONTRACT_AGENTS  loggers (20)
//   BENCH_SCOPE_TICKETS  tickets for the scope suite (2000000)   BENCH_SCOPE_ORGS  organizations (1000)
//   BENCH_SCOPE_SERVED   organizations the scoped agent's team serves (10)
//   BENCH_SCOPE_ORG_CUSTOMERS  customers in each served organization (2000)
//   BENCH_SCOPE_REQUESTS requests per scope list measure (200)   BENCH_SCOPE_SEARCHES  terms per kind (200)
//   BENCH_SCOPE_BUDGET   seconds per scope measure and side, after which it stops early (30)
//     (the scope suite copies the customers suite's BENCH_CUSTOMERS database and adds to the copy)
//   BENCH_HUB_CUSTOMERS  customers signing in to the Hub (50)  BENCH_HUB_CONNECTIONS  at once (8)
//   BENCH_HUB_TICKETS  tickets of the Hub customer's organization (10000)  BENCH_HUB_REQUESTS  per measure (200)
//   BENCH_NODES_CUSTOMERS  customers GET by id reads (2000)  BENCH_NODES_MESSAGES  messages per side (2000)
//     (the nodes suite runs on PostgreSQL only: one node, then two, on one database)
//   BENCH_MERGE_TICKETS  tickets of each of the two customers the merge suite merges (10000)
//   --only sqlite|postgres
//   --suite customers,import,intake,data-rights,contracts,scope,hub-signin,hub-list,nodes,merge (any; all by default)
import fs from 'node:fs';
import path from 'node:path';
import type { Dialect } from '../server/db/connect.ts';
import { DEFAULT_SEED } from './data.ts';
import { runBench, writeReport, type BenchOptions } from './bench.ts';
import { runImport, type ImportResult } from './import-suite.ts';
import { runIntake, type IntakeResult } from './intake-suite.ts';
import { formatDataRights, runDataRights, type DataRightsResult } from './data-rights-suite.ts';
import { formatContracts, runContracts, type ContractsResult } from './contracts-suite.ts';
import { formatScope, runScope, type ScopeResult } from './scope-suite.ts';
import { formatHubSignIn, runHubSignIn, type HubSignInResult } from './hub-signin-suite.ts';
import { formatHubList, runHubList, type HubListResult } from './hub-list-suite.ts';
import { formatNodes, runNodes } from './nodes-suite.ts';
import { formatMerge, runMerge, type MergeResult } from './merge-suite.ts';
import { formatReport } from './report.ts';
import { formatImport, formatIntake } from './suites-report.ts';

const SUITES = [
  'customers',
  'import',
  'intake',
  'data-rights',
  'contracts',
  'scope',
  'hub-signin',
  'hub-list',
  'nodes',
  'merge',
] as const;
type Suite = (typeof SUITES)[number];

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

function suites(): Suite[] {
  const at = process.argv.indexOf('--suite');
  if (at < 0) return [...SUITES];
  const named = (process.argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = named.filter((name) => !(SUITES as readonly string[]).includes(name));
  if (named.length === 0 || unknown.length)
    throw new Error(
      `--suite takes ${SUITES.join(', ')} (comma-separated), not "${unknown.join(',')}"`,
    );
  return named as Suite[];
}

function write(dir: string, name: string, value: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

async function main(): Promise<void> {
  const chosen = suites();
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
  const startedAt = new Date().toISOString();
  if (chosen.includes('customers')) {
    const report = await runBench(options);
    process.stdout.write(`${formatReport(report)}\n\n`);
    process.stderr.write(`wrote ${writeReport(report, dir)}\n`);
  }
  const place = { dir, databaseUrl };
  const common = { seed: options.seed, logLevel: options.logLevel, log: options.log };
  if (chosen.includes('import')) {
    const results: ImportResult[] = [];
    const rows = integer('BENCH_IMPORT_ROWS', 1_000_000);
    const upkeep = process.env.BENCH_DUPLICATE_UPKEEP ?? 'on';
    if (!['on', 'off', 'both'].includes(upkeep))
      throw new Error(`BENCH_DUPLICATE_UPKEEP is on, off or both, not "${upkeep}"`);
    const modes = upkeep === 'both' ? (['on', 'off'] as const) : [upkeep as 'on' | 'off'];
    for (const engine of options.engines)
      for (const duplicateUpkeep of modes)
        results.push(
          await runImport(engine, {
            ...place,
            ...common,
            rows,
            duplicateUpkeep,
            ceiling: process.env.BENCH_IMPORT_CEILING !== 'off',
          }),
        );
    process.stdout.write(`${formatImport(results)}\n\n`);
    const file = write(dir, 'results-import.json', { startedAt, results });
    process.stderr.write(`wrote ${file}\n`);
  }
  if (chosen.includes('intake')) {
    const results: IntakeResult[] = [];
    const settings = {
      messages: integer('BENCH_INTAKE_MESSAGES', 10_000),
      operations: integer('BENCH_FIND_OR_CREATE', 10_000),
      knownSenders: integer('BENCH_INTAKE_SENDERS', 300),
      connections: options.connections,
    };
    for (const engine of options.engines)
      results.push(await runIntake(engine, { ...place, ...common, ...settings }));
    process.stdout.write(`${formatIntake(results)}\n\n`);
    const file = write(dir, 'results-intake.json', { startedAt, results });
    process.stderr.write(`wrote ${file}\n`);
  }
  if (chosen.includes('data-rights')) {
    const results: DataRightsResult[] = [];
    const settings = {
      tickets: integer('BENCH_ERASE_TICKETS', 10_000),
      messagesPerTicket: 5,
      purgeCustomers: integer('BENCH_PURGE_CUSTOMERS', 100_000),
      log: options.log,
    };
    for (const engine of options.engines)
      results.push(await runDataRights(engine, { ...place, ...settings }));
    process.stdout.write(`${formatDataRights(results)}\n\n`);
    const file = write(dir, 'results-data-rights.json', { startedAt, results });
    process.stderr.write(`wrote ${file}\n`);
  }
  if (chosen.includes('contracts')) {
    const results: ContractsResult[] = [];
    const settings = {
      tickets: integer('BENCH_CONTRACT_TICKETS', 10_000),
      entries: integer('BENCH_CONTRACT_ENTRIES', 100_000),
      requests: integer('BENCH_CONTRACT_REQUESTS', 200),
      agents: integer('BENCH_CONTRACT_AGENTS', 20),
      seconds: options.seconds,
      seed: options.seed,
      logLevel: options.logLevel,
      log: options.log,
    };
    for (const engine of options.engines)
      results.push(await runContracts(engine, { ...place, ...settings }));
    process.stdout.write(`${formatContracts(results)}\n\n`);
    const file = write(dir, 'results-contracts.json', { startedAt, results });
    process.stderr.write(`wrote ${file}\n`);
  }
  if (chosen.includes('hub-list')) {
    const results: HubListResult[] = [];
    const settings = {
      tickets: integer('BENCH_HUB_TICKETS', 10_000),
      requests: integer('BENCH_HUB_REQUESTS', 200),
      log: options.log,
    };
    for (const engine of options.engines)
      results.push(await runHubList(engine, { ...place, ...settings }));
    process.stdout.write(`${formatHubList(results)}\n\n`);
    const file = write(dir, 'results-hub-list.json', { startedAt, results });
    process.stderr.write(`wrote ${file}\n`);
  }
  if (chosen.includes('scope')) {
    const results: ScopeResult[] = [];
    const settings = {
      postgresDatabase: options.postgresDatabase,
      layout: {
        seed: options.seed,
        customers: options.customers,
        tickets: integer('BENCH_SCOPE_TICKETS', 2_000_000),
        organizations: integer('BENCH_SCOPE_ORGS', 1000),
        served: integer('BENCH_SCOPE_SERVED', 10),
        perServed: integer('BENCH_SCOPE_ORG_CUSTOMERS', 2000),
      },
      requests: integer('BENCH_SCOPE_REQUESTS', 200),
      searches: integer('BENCH_SCOPE_SEARCHES', 200),
      budgetSeconds: integer('BENCH_SCOPE_BUDGET', 30),
      logLevel: options.logLevel,
      log: options.log,
    };
    for (const engine of options.engines)
      results.push(await runScope(engine, { ...place, ...settings }));
    process.stdout.write(`${formatScope(results)}\n\n`);
    const file = write(dir, 'results-scope.json', { startedAt, results });
    process.stderr.write(`wrote ${file}\n`);
  }
  if (chosen.includes('hub-signin')) {
    const results: HubSignInResult[] = [];
    const settings = {
      customers: integer('BENCH_HUB_CUSTOMERS', 50),
      connections: integer('BENCH_HUB_CONNECTIONS', 8),
      seconds: options.seconds,
      logLevel: options.logLevel,
      log: options.log,
    };
    for (const engine of options.engines)
      results.push(await runHubSignIn(engine, { ...place, ...settings }));
    process.stdout.write(`${formatHubSignIn(results)}\n\n`);
    const file = write(dir, 'results-hub-signin.json', { startedAt, results });
    process.stderr.write(`wrote ${file}\n`);
  }
  if (chosen.includes('nodes') && options.engines.includes('postgres')) {
    const result = await runNodes({
      ...place,
      customers: integer('BENCH_NODES_CUSTOMERS', 2000),
      messages: integer('BENCH_NODES_MESSAGES', 2000),
      connections: options.connections,
      seconds: options.seconds,
      logLevel: options.logLevel,
      log: options.log,
    });
    process.stdout.write(`${formatNodes(result)}\n\n`);
    const file = write(dir, 'results-nodes.json', { startedAt, result });
    process.stderr.write(`wrote ${file}\n`);
  } else if (chosen.includes('nodes')) {
    process.stderr.write(
      'nodes: skipped (it needs DATABASE_URL: several nodes share a PostgreSQL)\n',
    );
  }
  if (chosen.includes('merge')) {
    const results: MergeResult[] = [];
    const tickets = integer('BENCH_MERGE_TICKETS', 10_000);
    for (const engine of options.engines)
      results.push(await runMerge(engine, { ...place, tickets, log: options.log }));
    process.stdout.write(`${formatMerge(results)}\n\n`);
    const file = write(dir, 'results-merge.json', { startedAt, results });
    process.stderr.write(`wrote ${file}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
