// The scope suite's database: a copy of the customers suite's (prepareSqlite / preparePostgres
// build or reuse it), so a million customers are not generated twice, given BENCH_SCOPE_ORGS
// organizations, its customers placed in them (scope-data.ts), BENCH_SCOPE_TICKETS tickets and
// the two agents: the bench Administrator (unscoped) and an agent whose role lacks scope.all, in
// a team with access 'organizations' serving the first BENCH_SCOPE_SERVED organizations. The
// copy records its layout (a sidecar .json on SQLite, the database comment on PostgreSQL) and is
// reused while that matches. The agents are made in scope-agents.ts, the bulk work in
// scope-bulk.ts.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { findLoginByEmail } from '../server/agents/agent.repository.ts';
import { openPostgres, openSqlite, type Db, type Dialect } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { databaseUrl } from './fresh-db.ts';
import { preparePostgres } from './load-postgres.ts';
import { prepareSqlite } from './load-sqlite.ts';
import type { Log } from './prepare.ts';
import { SCOPED_EMAIL, addOrganizationsAndAgents } from './scope-agents.ts';
import { bulkPostgres, bulkSqlite } from './scope-bulk.ts';
import { checkLayout, type ScopeLayout } from './scope-data.ts';

/** Bump when scope-data.ts or this loader changes what they write, so old copies are rebuilt. */
export const SCOPE_DATA_VERSION = 1;
export interface ScopeDatabase {
  dialect: Dialect;
  /** sqlite:FILE or the PostgreSQL URL. */
  target: string;
  /** Kunde's DATA_DIR (on SQLite its kunde.db is the database). */
  dataDir: string;
  databaseUrl?: string;
  accountId: string;
  adminUserId: string;
  scopedUserId: string;
  /** The customers suite's generation this copy was made from. */
  customersGeneration: { seconds: number; reused: boolean };
  /** Organizations, customers placed, tickets and agents added to the copy. */
  load: { seconds: number; reused: boolean };
}

interface ScopeMeta extends ScopeLayout {
  version: number;
  seconds: number;
}

function metaFor(layout: ScopeLayout, seconds: number): ScopeMeta {
  return { version: SCOPE_DATA_VERSION, ...layout, seconds };
}

function matches(meta: unknown, layout: ScopeLayout): meta is ScopeMeta {
  if (typeof meta !== 'object' || meta === null) return false;
  const m = meta as Partial<ScopeMeta>;
  const expected: Partial<ScopeMeta> = { version: SCOPE_DATA_VERSION, ...layout };
  return (
    typeof m.seconds === 'number' &&
    Object.entries(expected).every(([key, value]) => m[key as keyof ScopeMeta] === value)
  );
}

function parse(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** Both logins, after migrating (a reused copy gets later migrations too). */
async function logins(db: Db, adminEmail: string) {
  await migrateToLatest(db);
  const admin = await findLoginByEmail(db.kysely, adminEmail);
  const scoped = await findLoginByEmail(db.kysely, SCOPED_EMAIL);
  return admin && scoped
    ? { accountId: admin.accountId, adminUserId: admin.userId, scopedUserId: scoped.userId }
    : undefined;
}

export interface ScopeLoadOptions {
  dir: string;
  /** The PostgreSQL server (postgres only). */
  databaseUrl?: string;
  /** The customers suite's database on it (BENCH_PG_DATABASE). */
  postgresDatabase: string;
  adminEmail: string;
  layout: ScopeLayout;
  log: Log;
}

export async function prepareScopeSqlite(options: ScopeLoadOptions): Promise<ScopeDatabase> {
  const { layout, log } = options;
  checkLayout(layout);
  fs.mkdirSync(options.dir, { recursive: true });
  const base = await prepareSqlite(options.dir, layout.customers, layout.seed, log);
  const dataDir = path.resolve(options.dir, `kunde_bench_scope_sqlite`);
  const file = path.join(dataDir, 'kunde.db');
  const meta = fs.existsSync(`${file}.json`) ? fs.readFileSync(`${file}.json`, 'utf8') : undefined;
  const known = parse(meta);
  const customersGeneration = base.generation;
  if (fs.existsSync(file) && matches(known, layout)) {
    const db = openSqlite(file);
    const found = await logins(db, options.adminEmail).finally(() => db.close());
    if (found) {
      log(`scope sqlite: reusing ${file}`);
      const load = { seconds: known.seconds, reused: true };
      return {
        dialect: 'sqlite',
        target: `sqlite:${file}`,
        dataDir,
        ...found,
        customersGeneration,
        load,
      };
    }
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const baseFile = base.target.replace(/^sqlite:/, '');
  const settle = new SQLite(baseFile);
  settle.pragma('wal_checkpoint(TRUNCATE)');
  settle.close();
  const building = `${file}.building`;
  const started = performance.now();
  fs.copyFileSync(baseFile, building);
  log(
    `scope sqlite: copied the customers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const db = openSqlite(building);
  const generalTeams = await addOrganizationsAndAgents(db, base.accountId, layout).finally(() =>
    db.close(),
  );
  bulkSqlite(building, base.accountId, layout, generalTeams, log);
  const seconds = (performance.now() - started) / 1000;
  fs.renameSync(building, file);
  fs.writeFileSync(`${file}.json`, JSON.stringify(metaFor(layout, seconds)));
  log(`scope sqlite: loaded in ${seconds.toFixed(1)} s`);
  const reopened = openSqlite(file);
  const found = await logins(reopened, options.adminEmail).finally(() => reopened.close());
  if (!found) throw new Error('scope sqlite: the agents are missing after the load');
  return {
    dialect: 'sqlite',
    target: `sqlite:${file}`,
    dataDir,
    ...found,
    customersGeneration,
    load: { seconds, reused: false },
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function prepareScopePostgres(options: ScopeLoadOptions): Promise<ScopeDatabase> {
  const { layout, log } = options;
  checkLayout(layout);
  if (!options.databaseUrl) throw new Error('the PostgreSQL run needs DATABASE_URL');
  const server = options.databaseUrl;
  const baseName = options.postgresDatabase;
  const base = await preparePostgres(server, baseName, layout.customers, layout.seed, log);
  const name = `${baseName}_scope`;
  const url = databaseUrl(server, name);
  const dataDir = path.resolve(options.dir, name);
  fs.mkdirSync(dataDir, { recursive: true });
  const customersGeneration = base.generation;
  const comment = await withClient(server, async (client) => {
    const found = await client.query<{ comment: string | null }>(
      `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
      [name],
    );
    return found.rows[0]?.comment ?? undefined;
  });
  const known = parse(comment);
  if (matches(known, layout)) {
    const db = openPostgres(url, 2);
    const found = await logins(db, options.adminEmail).finally(() => db.close());
    if (found) {
      log(`scope postgres: reusing database ${name}`);
      const load = { seconds: known.seconds, reused: true };
      return {
        dialect: 'postgres',
        target: url,
        dataDir,
        databaseUrl: url,
        ...found,
        customersGeneration,
        load,
      };
    }
  }
  const started = performance.now();
  // A file-level copy of the customers suite's database (it must have no open sessions).
  await withClient(server, async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name} template ${baseName}`);
  });
  log(
    `scope postgres: copied the customers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const db = openPostgres(url, 2);
  const generalTeams = await addOrganizationsAndAgents(db, base.accountId, layout).finally(() =>
    db.close(),
  );
  await withClient(url, (client) =>
    bulkPostgres(client, base.accountId, layout, generalTeams, log),
  );
  const seconds = (performance.now() - started) / 1000;
  await withClient(server, (client) =>
    client.query(
      `comment on database ${name} is ${client.escapeLiteral(JSON.stringify(metaFor(layout, seconds)))}`,
    ),
  );
  log(`scope postgres: loaded in ${seconds.toFixed(1)} s`);
  const reopened = openPostgres(url, 2);
  const found = await logins(reopened, options.adminEmail).finally(() => reopened.close());
  if (!found) throw new Error('scope postgres: the agents are missing after the load');
  return {
    dialect: 'postgres',
    target: url,
    dataDir,
    databaseUrl: url,
    ...found,
    customersGeneration,
    load: { seconds, reused: false },
  };
}
