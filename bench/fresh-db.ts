// Empty, migrated databases for the import and intake suites: a SQLite file under BENCH_DIR, or a
// PostgreSQL database of its own on the DATABASE_URL server (dropped and created again each run).
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openPostgres, openSqlite, type Db, type Dialect } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';

export interface FreshDatabase {
  dialect: Dialect;
  /** Kunde's DATA_DIR for it (the SQLite file is DATA_DIR/kunde.db, as main.ts opens it). */
  dataDir: string;
  /** PostgreSQL only. */
  url?: string;
  /** SQLite only. */
  file?: string;
  open(poolSize?: number): Db;
}

export interface Place {
  dir: string;
  /** The PostgreSQL server; needed for the postgres dialect. */
  databaseUrl?: string;
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new database named `name` (a folder under dir for SQLite), migrated. */
export async function freshDatabase(
  dialect: Dialect,
  place: Place,
  name: string,
): Promise<FreshDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const dataDir = path.join(place.dir, name);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  let fresh: FreshDatabase;
  if (dialect === 'postgres') {
    if (!place.databaseUrl) throw new Error('the PostgreSQL run needs DATABASE_URL');
    const admin = new pg.Client({ connectionString: place.databaseUrl });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    const url = databaseUrl(place.databaseUrl, name);
    fresh = { dialect, dataDir, url, open: (poolSize = 10) => openPostgres(url, poolSize) };
  } else {
    const file = path.join(dataDir, 'kunde.db');
    fresh = { dialect, dataDir, file, open: () => openSqlite(file) };
  }
  const db = fresh.open(2);
  await migrateToLatest(db).finally(() => db.close());
  return fresh;
}

export async function dropDatabase(place: Place, fresh: FreshDatabase): Promise<void> {
  if (fresh.dialect === 'postgres' && place.databaseUrl && fresh.url) {
    const admin = new pg.Client({ connectionString: place.databaseUrl });
    await admin.connect();
    const name = new URL(fresh.url).pathname.slice(1);
    await admin.query(`drop database if exists ${name} with (force)`).finally(() => admin.end());
  }
  fs.rmSync(fresh.dataDir, { recursive: true, force: true });
}
