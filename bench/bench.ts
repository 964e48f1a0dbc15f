// The bench, engine by engine: prepare (or reuse) the data, mint an API token, start Kunde in a
// child process, run the suite against it and against the raw engine, and stop everything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgres, openSqlite, type Db, type Dialect } from '../server/db/connect.ts';
import { createServices } from '../server/services.ts';
import { Client, startServer } from './http.ts';
import { preparePostgres } from './load-postgres.ts';
import { prepareSqlite } from './load-sqlite.ts';
import type { Log, PreparedDatabase } from './prepare.ts';
import { rawPostgres, rawSqlite, type RawEngine } from './raw.ts';
import type { BenchReport, EngineReport } from './report.ts';
import { runSuite, type SuiteOptions } from './suite.ts';
import { closeRecorders } from './capture.ts';

export interface BenchOptions extends SuiteOptions {
  dir: string;
  engines: Dialect[];
  /** The PostgreSQL server to use (needed when engines has postgres). */
  databaseUrl?: string;
  /** The database the bench creates on that server. */
  postgresDatabase: string;
  logLevel: string;
  log: Log;
}

function openTarget(target: string): Db {
  return target.startsWith('postgres')
    ? openPostgres(target, 2)
    : openSqlite(target.replace(/^sqlite:/, ''));
}

async function mintToken(prepared: PreparedDatabase): Promise<string> {
  const db = openTarget(prepared.target);
  try {
    const { token } = await createServices(db).agents.createToken(
      prepared.accountId,
      prepared.userId,
      'bench',
    );
    return token;
  } finally {
    await db.close();
  }
}

async function runEngine(engine: Dialect, options: BenchOptions): Promise<EngineReport> {
  let prepared: PreparedDatabase;
  let raw: RawEngine;
  if (engine === 'postgres') {
    if (!options.databaseUrl) throw new Error('the PostgreSQL run needs DATABASE_URL');
    prepared = await preparePostgres(
      options.databaseUrl,
      options.postgresDatabase,
      options.customers,
      options.seed,
      options.log,
    );
    raw = rawPostgres(prepared.target);
  } else {
    fs.mkdirSync(options.dir, { recursive: true });
    prepared = await prepareSqlite(options.dir, options.customers, options.seed, options.log);
    raw = rawSqlite(prepared.target.replace(/^sqlite:/, ''));
  }
  const token = await mintToken(prepared);
  const server = await startServer(prepared.target, options.logLevel);
  const client = new Client(server.port, token);
  try {
    const result = await runSuite(
      {
        dialect: engine,
        target: prepared.target,
        accountId: prepared.accountId,
        port: server.port,
        token,
        client,
        raw,
        log: options.log,
      },
      options,
    );
    return { engine, generation: prepared.generation, ...result };
  } finally {
    client.close();
    await server.stop();
    await raw.close();
    await closeRecorders();
  }
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    customers: options.customers,
    seed: options.seed,
    settings: {
      searches: options.searches,
      listRequests: options.listRequests,
      seconds: options.seconds,
      connections: options.connections,
      logLevel: options.logLevel,
    },
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      platform: `${os.platform()} ${os.arch()}`,
    },
    engines: [],
  };
  for (const engine of options.engines) report.engines.push(await runEngine(engine, options));
  return report;
}

export function writeReport(report: BenchReport, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'results.json');
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
